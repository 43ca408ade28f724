// `custos server`'s settings mapped onto startServer's options: files read, sizes and counts parsed, the store and the
// root of trust selected. Must not import the store or service; the api for its types only.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
// Types only (erased at runtime; the layer rule allows no more): what this command builds for startServer.
import type { ServerOptions } from '../../api/server.js';
import { UsageError } from '../errors.js';
import type { ServerSettings } from './server-settings.js';

/** `1048576`, `512kb`, `1mb`, `1MiB` → bytes. */
function parseSize(value: string, name: string): number {
  const m = /^(\d+)\s*(b|k|kb|kib|m|mb|mib)?$/i.exec(value.trim());
  if (!m) throw new UsageError(`${name} expects a size such as 1048576, 512kb or 1mb, got '${value}'`);
  const unit = (m[2] ?? 'b').toLowerCase();
  const n = Number(m[1]) * (unit.startsWith('m') ? 1024 * 1024 : unit.startsWith('k') ? 1024 : 1);
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`${name} must be at least 1 byte, got '${value}'`);
  return n;
}

/** A non-negative integer (0 turns the setting off). */
function parseCount0(value: string, name: string): number {
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`${name} expects a non-negative integer, got '${value}'`);
  return Number(value);
}

function parseCount(value: string, name: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1)
    throw new UsageError(`${name} expects a positive integer, got '${value}'`);
  return Number(value);
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
  if (s.devSeed !== undefined || s.devSeedFile !== undefined)
    throw new UsageError('--dev-seed and --dev-seed-file need --dev');
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
    ...(s.deletionRecentUseDays !== undefined && {
      deletionRecentUseDays: parseCount0(s.deletionRecentUseDays, '--deletion-recent-use-days'),
    }),
    ...(s.usageFlushInterval !== undefined && {
      usageFlushIntervalMs: parseCount(s.usageFlushInterval, '--usage-flush-interval'),
    }),
    ...((s.keyCacheMb !== undefined || s.keyCachePreload !== undefined) && {
      kmsOptions: {
        config: {
          ...(s.keyCacheMb !== undefined && {
            keyCacheBytes: parseCount(s.keyCacheMb, '--key-cache-mb') * 1024 * 1024,
          }),
          ...(s.keyCachePreload !== undefined && {
            keyCachePreload: onOrOff(s.keyCachePreload, '--key-cache-preload'),
          }),
        },
      },
    }),
  };
}

function onOrOff(value: string, name: string): boolean {
  if (value !== 'on' && value !== 'off') throw new UsageError(`${name} must be on or off, got '${value}'`);
  return value === 'on';
}

function allowOrDeny(value: string, name: string): boolean {
  if (value !== 'allow' && value !== 'deny') throw new UsageError(`${name} must be allow or deny, got '${value}'`);
  return value === 'allow';
}

/** The number of server processes `--workers` asks for (at least 1). */
export function workerCount(s: ServerSettings): number {
  return s.workers === undefined ? 1 : parseCount(s.workers, '--workers');
}
