// `custos server`: settings from flag > environment > --config JSON file > default, mapped onto startServer's options.
// Must not import the store or service; imports the api dynamically, inside the action, so other commands load fast.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isKmsError } from '@custos/contract';
import { type Command, Option } from 'commander';
// Types only (erased at runtime; the layer rule allows no more): what this command builds for startServer.
import type { ServerOptions } from '../../api/server.js';
import { UsageError } from '../errors.js';
import { DEFAULT_DATA_DIR } from '../options.js';
import { adminTokenNote } from './server-admin-token.js';

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
  keyCacheMb?: string;
}

/** One row per setting: flag, environment variable, default, help. The one table flags, env and config derive from. */
const SETTINGS: readonly {
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
    key: 'keyCacheMb',
    flag: '--key-cache-mb <MiB>',
    env: 'CUSTOS_KEY_CACHE_MB',
    help: 'memory budget of the key cache for key metadata, in MiB (default 2048, at most half the heap limit: over a million keys)',
  },
];

/** `1048576`, `512kb`, `1mb`, `1MiB` → bytes. */
function parseSize(value: string, name: string): number {
  const m = /^(\d+)\s*(b|k|kb|kib|m|mb|mib)?$/i.exec(value.trim());
  if (!m) throw new UsageError(`${name} expects a size such as 1048576, 512kb or 1mb, got '${value}'`);
  const unit = (m[2] ?? 'b').toLowerCase();
  const n = Number(m[1]) * (unit.startsWith('m') ? 1024 * 1024 : unit.startsWith('k') ? 1024 : 1);
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`${name} must be at least 1 byte, got '${value}'`);
  return n;
}

function parseCount(value: string, name: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1)
    throw new UsageError(`${name} expects a positive integer, got '${value}'`);
  return Number(value);
}

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
function resolveSettings(cmd: Command): ServerSettings {
  const opts = cmd.opts<Partial<Record<keyof ServerSettings, string>> & { config?: string }>();
  const config = opts.config === undefined ? {} : readConfigFile(opts.config);
  const out: Partial<Record<keyof ServerSettings, string>> = {};
  for (const s of SETTINGS) {
    const source = cmd.getOptionValueSource(s.key);
    const value = source === 'cli' || source === 'env' ? opts[s.key] : (config[s.key] ?? s.fallback);
    if (value !== undefined) out[s.key] = value;
  }
  if (out.logLevel !== undefined && !(LOG_LEVELS as readonly string[]).includes(out.logLevel)) {
    throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got '${out.logLevel}'`);
  }
  return out as ServerSettings;
}

/** The store part of startServer's options (the store's own StoreOptions, which this layer may not import). */
type StoreOptions = NonNullable<ServerOptions['store']>;

/** Reads a secret file (passphrase, PIN): its content without one trailing newline. The content is never shown. */
export function readSecretFile(path: string, what: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch (err) {
    throw new UsageError(`cannot read ${what} file '${path}' (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  if (text.length === 0) throw new UsageError(`${what} file '${path}' is empty`);
  return text;
}

/** The root of trust the settings select: the root key file (the default), Shamir-sealed, or a PKCS#11 token. */
export function rootOfTrustOptions(
  s: ServerSettings,
): Pick<ServerOptions, 'rootOfTrust' | 'passphrase' | 'rootKeyFile'> {
  const pkcs11Given = [s.pkcs11Module, s.pkcs11TokenLabel, s.pkcs11PinFile, s.pkcs11KeyLabel].some(
    (v) => v !== undefined,
  );
  if (s.rootOfTrust === undefined || s.rootOfTrust === 'file') {
    if (pkcs11Given) throw new UsageError('the --pkcs11-* settings need --root-of-trust pkcs11');
    return {
      ...(s.passphraseFile !== undefined && { passphrase: readSecretFile(s.passphraseFile, 'passphrase') }),
      ...(s.rootKeyFile !== undefined && { rootKeyFile: s.rootKeyFile }),
    };
  }
  if (s.rootOfTrust === 'shamir') {
    if (pkcs11Given) throw new UsageError('the --pkcs11-* settings need --root-of-trust pkcs11');
    if (s.passphraseFile !== undefined)
      throw new UsageError('--passphrase-file is for --root-of-trust file (shamir unseals with shares)');
    return { rootOfTrust: { kind: 'shamir' }, ...(s.rootKeyFile !== undefined && { rootKeyFile: s.rootKeyFile }) };
  }
  if (s.rootOfTrust !== 'pkcs11')
    throw new UsageError(`--root-of-trust must be file, shamir or pkcs11, got '${s.rootOfTrust}'`);
  if (s.passphraseFile !== undefined || s.rootKeyFile !== undefined)
    throw new UsageError('--passphrase-file and --root-key-file are for --root-of-trust file');
  if (s.pkcs11Module === undefined || s.pkcs11TokenLabel === undefined || s.pkcs11PinFile === undefined)
    throw new UsageError('--root-of-trust pkcs11 needs --pkcs11-module, --pkcs11-token-label and --pkcs11-pin-file');
  return {
    rootOfTrust: {
      kind: 'pkcs11',
      // Relative to the working directory, like every path setting; the keystore loads absolute paths only.
      module: resolve(s.pkcs11Module),
      tokenLabel: s.pkcs11TokenLabel,
      pin: readSecretFile(s.pkcs11PinFile, 'PKCS#11 PIN'),
      ...(s.pkcs11KeyLabel !== undefined && { keyLabel: s.pkcs11KeyLabel }),
    },
  };
}

/** The store the settings select, built once here and passed through startServer and LocalKms to the store. */
export function storeOptions(s: ServerSettings): StoreOptions {
  if (s.databaseUrl === undefined) {
    const pgOnly = [s.databaseSchema, s.databasePoolSize, s.databaseConnectionTimeout, s.databaseStatementTimeout];
    if (pgOnly.some((v) => v !== undefined))
      throw new UsageError('--database-schema, --database-pool-size and the database timeouts need --database-url');
    return { kind: 'sqlite' };
  }
  return {
    kind: 'postgres',
    url: s.databaseUrl,
    ...(s.databaseSchema !== undefined && { schema: s.databaseSchema }),
    ...(s.databasePoolSize !== undefined && { poolSize: parseCount(s.databasePoolSize, '--database-pool-size') }),
    ...(s.databaseConnectionTimeout !== undefined && {
      connectionTimeoutMs: parseCount(s.databaseConnectionTimeout, '--database-connection-timeout'),
    }),
    ...(s.databaseStatementTimeout !== undefined && {
      statementTimeoutMs: parseCount(s.databaseStatementTimeout, '--database-statement-timeout'),
    }),
  };
}

/**
 * Maps settings onto startServer's options (files read here, sizes and counts parsed). Which TLS files go together
 * is startServer's rule (one place); the action reports its refusal as a usage error.
 */
export function serverOptions(s: ServerSettings): ServerOptions {
  return {
    dataDir: s.dataDir,
    listen: s.listen,
    store: storeOptions(s),
    ...rootOfTrustOptions(s),
    // Relative to the working directory, like every path setting; the keystore loads absolute paths only.
    ...(s.hsmModule !== undefined && { hsmModule: resolve(s.hsmModule) }),
    ...(s.awsRegion !== undefined && { awsRegion: s.awsRegion }),
    ...(s.awsAccountId !== undefined && { awsAccountId: s.awsAccountId }),
    ...(s.tlsCert !== undefined && { tlsCert: s.tlsCert }),
    ...(s.tlsKey !== undefined && { tlsKey: s.tlsKey }),
    ...(s.tlsClientCa !== undefined && { tlsClientCa: s.tlsClientCa }),
    ...(s.bodyLimit !== undefined && { bodyLimitBytes: parseSize(s.bodyLimit, '--body-limit') }),
    ...(s.logLevel !== undefined && { logLevel: s.logLevel }),
    ...(s.rateLimit !== undefined && { rateLimitPerMinute: parseCount(s.rateLimit, '--rate-limit') }),
    ...(s.auditCheckpointFile !== undefined && { auditCheckpointFile: s.auditCheckpointFile }),
    ...(s.plaintextImport !== undefined && {
      allowPlaintextImport: allowOrDeny(s.plaintextImport, '--plaintext-import'),
    }),
    ...(s.keyCacheMb !== undefined && {
      kmsOptions: { config: { keyCacheBytes: parseCount(s.keyCacheMb, '--key-cache-mb') * 1024 * 1024 } },
    }),
  };
}

function allowOrDeny(value: string, name: string): boolean {
  if (value !== 'allow' && value !== 'deny') throw new UsageError(`${name} must be allow or deny, got '${value}'`);
  return value === 'allow';
}

export function registerServer(program: Command): void {
  const cmd = program.command('server').description('run the Custos server (REST API) on a data directory');
  for (const s of SETTINGS)
    cmd.addOption(
      new Option(s.flag, s.fallback === undefined ? s.help : `${s.help} (default ${s.fallback})`).env(s.env),
    );
  cmd.addOption(
    new Option('--config <file>', 'JSON file with these settings in camelCase (flag > env > file > default)').env(
      'CUSTOS_CONFIG',
    ),
  );
  // A one-off operator decision, so a flag only: from the environment or a config file it would accept every later
  // mismatch unseen (docs/audit.md).
  cmd.option(
    '--audit-accept-mismatch',
    'start even if the audit log does not match its last checkpoint (audited; see docs/audit.md)',
  );
  cmd.action(async (o: { auditAcceptMismatch?: boolean }, c: Command) => {
    const options = {
      ...serverOptions(resolveSettings(c)),
      ...(o.auditAcceptMismatch === true && { acceptAuditMismatch: true }),
    };
    const { startServer, installSignalHandlers } = await import('../../api/server.js');
    const server = await startServer(options).catch((err: unknown) => {
      // A malformed setting (e.g. --listen) is the command line's fault: exit 2 like other usage errors.
      throw isKmsError(err) && err.code === 'VALIDATION_ERROR' ? new UsageError(err.message) : err;
    });
    installSignalHandlers(server);
    process.stderr.write(`custos: listening on ${server.url} (${adminTokenNote(server, options.rootOfTrust?.kind)})\n`);
    if (options.rootOfTrust?.kind === 'shamir')
      process.stderr.write('custos: sealed: unseal it with custos operator unseal (its threshold of shares)\n');
  });
}
