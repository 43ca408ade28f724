// `custos server`'s settings: the one table flags, environment variables and the --config file derive from, and how
// their effective values are resolved (flag > environment > --config JSON file > default). Must not import the store,
// service or api.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { DEFAULT_DATA_DIR } from '../options.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
type LogLevel = (typeof LOG_LEVELS)[number];

/** The server settings, as flags spell them in camelCase (the keys a --config file may hold). */
export interface ServerSettings {
  dataDir: string;
  listen: string;
  passphraseFile?: string;
  rootKeyFile?: string;
  rootOfTrust?: string;
  pkcs11Module?: string;
  pkcs11TokenLabel?: string;
  pkcs11PinFile?: string;
  pkcs11KeyLabel?: string;
  hsmModule?: string;
  databaseUrl?: string;
  databaseSchema?: string;
  databasePoolSize?: string;
  databaseConnectionTimeout?: string;
  databaseStatementTimeout?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsClientCa?: string;
  bodyLimit?: string;
  logLevel?: LogLevel;
  rateLimit?: string;
  awsRegion?: string;
  awsAccountId?: string;
  auditCheckpointFile?: string;
  plaintextImport?: string;
  workers?: string;
  devSeed?: string;
  devSeedFile?: string;
  deletionRecentUseDays?: string;
  usageFlushInterval?: string;
  keyCacheMb?: string;
  keyCachePreload?: string;
}

/** One row per setting: flag, environment variable, default, help. The one table flags, env and config derive from. */
export const SETTINGS: readonly {
  key: keyof ServerSettings;
  flag: string;
  env: string;
  fallback?: string;
  help: string;
}[] = [
  {
    key: 'dataDir',
    flag: '--data-dir <dir>',
    env: 'CUSTOS_DATA_DIR',
    fallback: DEFAULT_DATA_DIR,
    help: 'data directory (database, root key, admin.token)',
  },
  {
    key: 'listen',
    flag: '--listen <host:port>',
    env: 'CUSTOS_LISTEN',
    fallback: '127.0.0.1:7300',
    help: 'address to listen on',
  },
  {
    key: 'passphraseFile',
    flag: '--passphrase-file <file>',
    env: 'CUSTOS_PASSPHRASE_FILE',
    help: 'file holding the passphrase that seals the root key',
  },
  {
    key: 'rootKeyFile',
    flag: '--root-key-file <file>',
    env: 'CUSTOS_ROOT_KEY_FILE',
    help: 'root key file (default <data-dir>/root.key); the same file on every node of one database',
  },
  {
    key: 'rootOfTrust',
    flag: '--root-of-trust <kind>',
    env: 'CUSTOS_ROOT_OF_TRUST',
    help:
      'where the root key lives: file (the root key file), shamir (the root key file sealed by Shamir shares: the ' +
      'server starts sealed; see custos operator) or pkcs11 (a non-extractable key in an HSM token)',
  },
  {
    key: 'pkcs11Module',
    flag: '--pkcs11-module <path.so>',
    env: 'CUSTOS_PKCS11_MODULE',
    help: 'PKCS#11 module library (e.g. /usr/lib/softhsm/libsofthsm2.so); the only one the server loads',
  },
  {
    key: 'pkcs11TokenLabel',
    flag: '--pkcs11-token-label <label>',
    env: 'CUSTOS_PKCS11_TOKEN_LABEL',
    help: 'label of the PKCS#11 token holding the root key',
  },
  {
    key: 'pkcs11PinFile',
    flag: '--pkcs11-pin-file <file>',
    env: 'CUSTOS_PKCS11_PIN_FILE',
    help: "file holding the PKCS#11 token's user PIN",
  },
  {
    key: 'pkcs11KeyLabel',
    flag: '--pkcs11-key-label <label>',
    env: 'CUSTOS_PKCS11_KEY_LABEL',
    help: 'label of the root key in the token (default custos-root-key; made on the first start)',
  },
  {
    key: 'hsmModule',
    flag: '--hsm-module <path.so>',
    env: 'CUSTOS_HSM_MODULE',
    help: "PKCS#11 module library the custom key stores' tokens are opened on (default the --pkcs11-module of a PKCS#11 root)",
  },
  {
    key: 'databaseUrl',
    flag: '--database-url <url>',
    env: 'CUSTOS_DATABASE_URL',
    help: 'PostgreSQL connection string (many nodes on one database) instead of <data-dir>/custos.db',
  },
  {
    key: 'databaseSchema',
    flag: '--database-schema <name>',
    env: 'CUSTOS_DATABASE_SCHEMA',
    help: "PostgreSQL schema for Custos's tables (created if missing)",
  },
  {
    key: 'databasePoolSize',
    flag: '--database-pool-size <n>',
    env: 'CUSTOS_DATABASE_POOL_SIZE',
    help: 'PostgreSQL connections per node (default 10)',
  },
  {
    key: 'databaseConnectionTimeout',
    flag: '--database-connection-timeout <ms>',
    env: 'CUSTOS_DATABASE_CONNECTION_TIMEOUT',
    help: 'PostgreSQL: longest wait for a connection, ms',
  },
  {
    key: 'databaseStatementTimeout',
    flag: '--database-statement-timeout <ms>',
    env: 'CUSTOS_DATABASE_STATEMENT_TIMEOUT',
    help: 'PostgreSQL: longest a statement may run, ms',
  },
  {
    key: 'tlsCert',
    flag: '--tls-cert <file>',
    env: 'CUSTOS_TLS_CERT',
    help: 'TLS certificate chain (PEM); enables HTTPS',
  },
  { key: 'tlsKey', flag: '--tls-key <file>', env: 'CUSTOS_TLS_KEY', help: 'TLS private key (PEM)' },
  {
    key: 'tlsClientCa',
    flag: '--tls-client-ca <file>',
    env: 'CUSTOS_TLS_CLIENT_CA',
    help: 'CA (PEM) for client certificates; requires mutual TLS',
  },
  {
    key: 'bodyLimit',
    flag: '--body-limit <size>',
    env: 'CUSTOS_BODY_LIMIT',
    help: 'largest request body: bytes, or with kb/mb (e.g. 1mb)',
  },
  {
    key: 'logLevel',
    flag: '--log-level <level>',
    env: 'CUSTOS_LOG_LEVEL',
    help: `log level: ${LOG_LEVELS.join(', ')}`,
  },
  { key: 'rateLimit', flag: '--rate-limit <n>', env: 'CUSTOS_RATE_LIMIT', help: 'requests per minute per client' },
  {
    key: 'awsRegion',
    flag: '--aws-region <region>',
    env: 'CUSTOS_AWS_REGION',
    help: 'region in key ARNs and the SigV4 scope (default us-east-1)',
  },
  {
    key: 'awsAccountId',
    flag: '--aws-account-id <id>',
    env: 'CUSTOS_AWS_ACCOUNT_ID',
    help: 'account in key ARNs (default 000000000000)',
  },
  {
    key: 'auditCheckpointFile',
    flag: '--audit-checkpoint-file <file>',
    env: 'CUSTOS_AUDIT_CHECKPOINT_FILE',
    help: 'file the signed audit checkpoints are appended to, outside the database (default <data-dir>/audit-checkpoints)',
  },
  {
    key: 'plaintextImport',
    flag: '--plaintext-import <allow|deny>',
    env: 'CUSTOS_PLAINTEXT_IMPORT',
    fallback: 'allow',
    help: 'whether private JWKs may be imported in plaintext (the jwk facade importPrivateKey, POST /v1/jwk/import)',
  },
  {
    key: 'deletionRecentUseDays',
    flag: '--deletion-recent-use-days <n>',
    env: 'CUSTOS_DELETION_RECENT_USE_DAYS',
    fallback: '30',
    help: 'schedule-deletion refuses a key used within this many days unless --force (native API; 0 = off)',
  },
  {
    key: 'usageFlushInterval',
    flag: '--usage-flush-interval <ms>',
    env: 'CUSTOS_USAGE_FLUSH_INTERVAL',
    fallback: '1000',
    help: 'how often key usage counts are written to the store (a crash loses at most this long of counts)',
  },
  {
    key: 'keyCacheMb',
    flag: '--key-cache-mb <MiB>',
    env: 'CUSTOS_KEY_CACHE_MB',
    help: 'memory budget of the key cache for key metadata, in MiB (default 2048, at most half the heap limit: over a million keys)',
  },
  {
    key: 'keyCachePreload',
    flag: '--key-cache-preload <on|off>',
    env: 'CUSTOS_KEY_CACHE_PRELOAD',
    help: 'on (default): at start, read every key into the key cache in the background, up to 90% of its budget; off: keys load on first use',
  },
  {
    key: 'devSeed',
    flag: '--dev-seed <seed>',
    env: 'CUSTOS_DEV_SEED',
    help: 'with --dev: derive key ids and material from this seed (the same seed gives the same keys run after run)',
  },
  {
    key: 'devSeedFile',
    flag: '--dev-seed-file <file>',
    env: 'CUSTOS_DEV_SEED_FILE',
    help: "with --dev: keys and aliases to create at start, in local-kms's format (JSON, or YAML for .yaml/.yml)",
  },
  {
    key: 'workers',
    flag: '--workers <n>',
    env: 'CUSTOS_WORKERS',
    fallback: String(availableParallelism()),
    help: 'server processes sharing the port (node:cluster; 1: one process, no cluster); the number of cores by default',
  },
];

/** Reads a --config file: a JSON object whose keys are {@link ServerSettings} keys. */
export function readConfigFile(path: string): Partial<Record<keyof ServerSettings, string>> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read config file '${path}' (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not the parser's message: it quotes the file around the error, and the file may hold a database password.
    throw new UsageError(`config file '${path}' is not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new UsageError(`config file '${path}' must hold a JSON object`);
  const out: Partial<Record<keyof ServerSettings, string>> = {};
  const known = new Set<string>(SETTINGS.map((s) => s.key));
  for (const [key, value] of Object.entries(parsed)) {
    if (!known.has(key))
      throw new UsageError(`config file '${path}': unknown setting '${key}' (known: ${[...known].join(', ')})`);
    if (typeof value !== 'string' && typeof value !== 'number')
      throw new UsageError(`config file '${path}': '${key}' must be a string or a number`);
    out[key as keyof ServerSettings] = String(value);
  }
  return out;
}

/**
 * The effective settings: a flag or environment variable (commander reports which), else the config
 * file, else the default. Relative paths are relative to the working directory, wherever they came from.
 */
export function resolveSettings(cmd: Command, defaulted = new Set<keyof ServerSettings>()): ServerSettings {
  const opts = cmd.opts<Partial<Record<keyof ServerSettings, string>> & { config?: string }>();
  const config = opts.config === undefined ? {} : readConfigFile(opts.config);
  const out: Partial<Record<keyof ServerSettings, string>> = {};
  for (const s of SETTINGS) {
    const source = cmd.getOptionValueSource(s.key);
    const value = source === 'cli' || source === 'env' ? opts[s.key] : (config[s.key] ?? s.fallback);
    if (source !== 'cli' && source !== 'env' && config[s.key] === undefined) defaulted.add(s.key);
    if (value !== undefined) out[s.key] = value;
  }
  if (out.logLevel !== undefined && !(LOG_LEVELS as readonly string[]).includes(out.logLevel)) {
    throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got '${out.logLevel}'`);
  }
  return out as ServerSettings;
}
