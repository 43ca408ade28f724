// Starts the REST API on a data directory: opens LocalKms, creates the first admin token on a fresh store, listens
// (HTTP, HTTPS, or mutual TLS), and closes gracefully. Signal handling is the caller's (see installSignalHandlers).
// Must not be imported by service, store, keystore or core.
import { randomUUID } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import type { ServerOptions as HttpsServerOptions } from 'node:https';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { InternalError, ValidationError } from '@custos/contract';
import type { Logger } from 'pino';
import { LocalKms, type LocalKmsOptions, type RootOfTrustSettings } from '../service/local-kms.js';
import type { DevModeSettings } from '../service/dev/dev-mode.js';
import { DEFAULT_CONFIG } from '../service/context.js';
import { readShamirHeader, rootKeyFilePath, shareIndex } from '../service/shamir.js';
import { buildApp, type AppOptions } from './app.js';
import { SealGate } from './seal.js';
import { createLogger, type LoggerOptions } from './plugins/logger.js';
import { PQ } from '../core/pq/implementation.js';

export interface ServerOptions {
  /** Data directory (custos.db, root.key, admin.token); created on first start. */
  dataDir: string;
  /** `host:port` (IPv6 as `[::1]:7300`); default `127.0.0.1:7300`; port 0 picks a free port. */
  listen?: string;
  /** Passphrase sealing the root key file. */
  passphrase?: string;
  /** Root key file; default `<dataDir>/root.key`. Every node sharing one database must be given the same file. */
  rootKeyFile?: string;
  /**
   * The root of trust, passed to LocalKms as it is: default the root key file (`rootKeyFile`, `passphrase`).
   * `{ kind: 'shamir' }`: the server starts sealed and opens the store once unsealed (POST /v1/sys/unseal).
   */
  rootOfTrust?: Exclude<RootOfTrustSettings, { kind: 'shamir' }> | { kind: 'shamir' };
  /** Unseal attempts per minute per client address (default 20; beyond it 429 LIMIT_EXCEEDED). */
  unsealPerMinute?: number;
  /** The PKCS#11 module custom key stores use (LocalKms `hsmModule`): default the PKCS#11 root's module. */
  hsmModule?: string;
  /** The store, passed to LocalKms as it is: default SQLite in `<dataDir>/custos.db`. */
  store?: LocalKmsOptions['store'];
  /** PEM files: with both, the server speaks HTTPS. */
  tlsCert?: string;
  tlsKey?: string;
  /** PEM file of the CA that signs client certificates: turns on mutual TLS (clients without one are refused). */
  tlsClientCa?: string;
  /** Largest request body (default 1 MiB → 413 beyond). */
  bodyLimitBytes?: number;
  /** pino level (default `info`). */
  logLevel?: string;
  /** false: no logging; an object: logger options (`stream` to send lines elsewhere, `level`). */
  logger?: false | LoggerOptions;
  /** Extra LocalKms options (config, now, maintenanceIntervalMs, …). */
  kmsOptions?: Partial<LocalKmsOptions>;
  /** Requests per minute per token (off by default → no limit; beyond it 429 LIMIT_EXCEEDED). */
  rateLimitPerMinute?: number;
  /** The AWS region of key ARNs and of the SigV4 scope AWS clients sign for (default `us-east-1`). */
  awsRegion?: string;
  /** The 12-digit account id of key ARNs (default `000000000000`). */
  awsAccountId?: string;
  /** Whether ImportJwk (the jwk facade's importPrivateKey) accepts private keys sent in plaintext (default true). */
  allowPlaintextImport?: boolean;
  /** ScheduleKeyDeletion (native API) refuses a key used within this many days unless forced; 0 = off (default 30). */
  deletionRecentUseDays?: number;
  /** How often key usage counts are written to the store (ms, default 1000): what a crash can lose at most. */
  usageFlushIntervalMs?: number;
  /** The file signed audit checkpoints are appended to; default `<dataDir>/audit-checkpoints` (docs/audit.md). */
  auditCheckpointFile?: string;
  /** Start even if the audit log does not match its last checkpoint (audited as AcceptAuditMismatch). */
  acceptAuditMismatch?: boolean;
  /**
   * Development mode (docs/dev-mode.md): LocalKms's `dev` settings (seed, seed file), the movable clock, and
   * `X-Custos-Mode: development` on every response. Loopback only; the root key file only; a data directory keeps
   * the mode it was made in (DEV_MODE_MISMATCH otherwise).
   */
  dev?: DevModeSettings;
  /** A worker of `custos server --workers N`: every reply names the process (`x-custos-worker: <pid>`). */
  workerPidHeader?: boolean;
  /** Where `rateLimitPerMinute` counts: default this process (a cluster worker counts in its primary). */
  rateLimitStore?: AppOptions['rateLimitStore'];
  /** Given the seal gate before the server listens (a cluster worker relays unseals and seals through it). */
  onGate?: (gate: SealGate) => void;
}

/** The hosts a development server may listen on: this machine only. */
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:54321`. */
  url: string;
  /** `<dataDir>/admin.token`: the first admin token (mode 0600), written at the first start only. */
  adminTokenFile: string;
  /** The admin token, only when this start created it (a sealed server creates it when first unsealed). */
  adminToken?: string;
  /** Stops accepting connections, waits for in-flight requests, then closes LocalKms. Idempotent. */
  close(): Promise<void>;
}

const DEFAULT_LISTEN = '127.0.0.1:7300';
const ADMIN_TOKEN_FILE = 'admin.token';

/** `host:port` → its parts; ValidationError when malformed. */
export function parseListen(listen: string): { host: string; port: number } {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:\s]*)):(\d{1,5})$/.exec(listen.trim());
  const port = Number(match?.[3]);
  if (!match || !Number.isInteger(port) || port > 65535)
    throw new ValidationError(`listen must be host:port, not ${listen}`);
  const host = match[1] ?? match[2];
  return { host: host === undefined || host === '' ? '127.0.0.1' : host, port }; // ':7300' listens on the default host
}

function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Writes the token to `file` (mode 0600) atomically: a private temporary file (created exclusively), fsynced, then
 * renamed into place. A stale file (from a store since deleted) is replaced: its token no longer exists anywhere.
 * A failure says which file and why (the operator starting the server reads it; no token is in a file system error).
 */
async function writeTokenFile(file: string, token: string): Promise<void> {
  try {
    await writeTokenFileOnce(file, token);
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new InternalError(`cannot write the admin token file ${file}: ${why}`, { cause: error });
  }
}

async function writeTokenFileOnce(file: string, token: string): Promise<void> {
  const temp = `${file}.${randomUUID()}.tmp`;
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(`${token}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

async function tlsOptions(options: ServerOptions): Promise<HttpsServerOptions | undefined> {
  if (!options.tlsCert && !options.tlsKey) {
    if (options.tlsClientCa) throw new ValidationError('tlsClientCa needs tlsCert and tlsKey');
    return undefined;
  }
  if (!options.tlsCert || !options.tlsKey) throw new ValidationError('tlsCert and tlsKey go together');
  const [cert, key] = await Promise.all([readFile(options.tlsCert), readFile(options.tlsKey)]);
  if (!options.tlsClientCa) return { cert, key };
  return { cert, key, ca: await readFile(options.tlsClientCa), requestCert: true, rejectUnauthorized: true };
}

/**
 * Opens the data directory and serves the REST API.
 * @example
 * const server = await startServer({ dataDir: './data', listen: '127.0.0.1:0' });
 * const token = server.adminToken ?? (await readFile(server.adminTokenFile, 'utf8')).trim();
 * // … later
 * await server.close();
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { host, port } = parseListen(options.listen ?? DEFAULT_LISTEN);
  if (options.dev !== undefined) {
    if (!LOOPBACK.has(host))
      throw new ValidationError(`development mode listens on loopback only (127.0.0.1, ::1, localhost), not ${host}`);
    if (options.rootOfTrust !== undefined && options.rootOfTrust.kind !== 'file')
      throw new ValidationError('development mode uses the root key file (no shamir or pkcs11 root of trust)');
  }
  const https = await tlsOptions(options);
  const logger: Logger | undefined =
    options.logger === false
      ? undefined
      : createLogger({ level: options.logLevel ?? 'info', ...(options.logger ?? {}) });
  const kmsOptions: LocalKmsOptions = {
    ...(logger
      ? {
          logger: {
            error: (details, message) => {
              logger.error(details, message);
            },
          },
        }
      : {}),
    ...options.kmsOptions,
    ...(options.awsRegion !== undefined ||
    options.awsAccountId !== undefined ||
    options.allowPlaintextImport !== undefined ||
    options.deletionRecentUseDays !== undefined ||
    options.usageFlushIntervalMs !== undefined
      ? {
          config: {
            ...options.kmsOptions?.config,
            ...(options.awsRegion !== undefined ? { region: options.awsRegion } : {}),
            ...(options.awsAccountId !== undefined ? { accountId: options.awsAccountId } : {}),
            ...(options.allowPlaintextImport !== undefined
              ? { allowPlaintextImport: options.allowPlaintextImport }
              : {}),
            ...(options.deletionRecentUseDays !== undefined
              ? { deletionRecentUseDays: options.deletionRecentUseDays }
              : {}),
            ...(options.usageFlushIntervalMs !== undefined
              ? { usageFlushIntervalMs: options.usageFlushIntervalMs }
              : {}),
          },
        }
      : {}),
    dataDir: options.dataDir,
    ...(options.passphrase !== undefined ? { passphrase: options.passphrase } : {}),
    ...(options.rootKeyFile !== undefined ? { rootKeyFile: options.rootKeyFile } : {}),
    ...(options.store !== undefined ? { store: options.store } : {}),
    ...(options.auditCheckpointFile !== undefined
      ? { auditCheckpoints: { ...options.kmsOptions?.auditCheckpoints, file: options.auditCheckpointFile } }
      : {}),
    ...(options.acceptAuditMismatch === true ? { acceptAuditMismatch: true } : {}),
    ...(options.hsmModule !== undefined ? { hsmModule: options.hsmModule } : {}),
    ...(options.dev !== undefined ? { dev: options.dev } : {}),
  };
  const adminTokenFile = join(options.dataDir, ADMIN_TOKEN_FILE);
  /** Opens LocalKms and, on a fresh store, creates the first admin token (in its file, never in a log line). */
  const openKms = async (rootOfTrust: RootOfTrustSettings | undefined): Promise<{ kms: LocalKms; token?: string }> => {
    const kms = await LocalKms.open({ ...kmsOptions, ...(rootOfTrust !== undefined ? { rootOfTrust } : {}) });
    try {
      const created = await kms.bootstrapAdminToken((token) => writeTokenFile(adminTokenFile, token.token));
      if (created)
        logger?.info({ file: adminTokenFile }, 'created the first admin token; it is in this file (mode 0600)');
      return { kms, ...(created ? { token: created.token } : {}) };
    } catch (error) {
      await kms.close();
      throw error;
    }
  };
  let gate: SealGate;
  let created: string | undefined;
  if (options.rootOfTrust?.kind === 'shamir') {
    if (options.passphrase !== undefined)
      throw new ValidationError('a passphrase is for the file root of trust, not shamir (it is unsealed with shares)');
    const header = await readShamirHeader(rootKeyFilePath(options.dataDir, options.rootKeyFile));
    gate = SealGate.sealed({
      threshold: header.threshold,
      config: { ...DEFAULT_CONFIG, ...kmsOptions.config },
      shareIndex: (share) => shareIndex(header, share),
      open: async (unsealShares) => (await openKms({ kind: 'shamir', unsealShares })).kms,
    });
    logger?.info({ threshold: header.threshold }, 'sealed: unseal with custos operator unseal');
  } else {
    const opened = await openKms(options.rootOfTrust);
    gate = SealGate.unsealed(opened.kms);
    created = opened.token;
  }
  options.onGate?.(gate);
  try {
    const app = buildApp(gate, {
      ...(logger ? { logger } : {}),
      ...(options.bodyLimitBytes !== undefined ? { bodyLimitBytes: options.bodyLimitBytes } : {}),
      ...(options.rateLimitPerMinute !== undefined ? { rateLimitPerMinute: options.rateLimitPerMinute } : {}),
      ...(options.rateLimitStore !== undefined ? { rateLimitStore: options.rateLimitStore } : {}),
      ...(options.unsealPerMinute !== undefined ? { unsealPerMinute: options.unsealPerMinute } : {}),
      ...(https ? { https } : {}),
      devMode: options.dev !== undefined,
    });
    if (options.dev !== undefined)
      logger?.warn({ dataDir: options.dataDir }, 'development mode: not for production (movable clock, seeded keys)');
    if (options.workerPidHeader === true) {
      const pid = String(process.pid);
      // Before Fastify's own listener, so the header is set before any reply is written.
      app.server.prependListener('request', (_request, response: ServerResponse) => {
        response.setHeader('x-custos-worker', pid);
      });
    }
    try {
      await app.listen({ host, port });
    } catch (error) {
      await app.close();
      throw error;
    }
    const address = app.server.address() as AddressInfo;
    // ML-DSA/ML-KEM: node:crypto on Node ≥ 24.7, @noble/post-quantum before (same stored keys either way).
    logger?.info({ postQuantum: PQ.name, node: process.version }, `post-quantum keys use ${PQ.name}`);
    let closing: Promise<void> | undefined;
    return {
      url: `${https ? 'https' : 'http'}://${urlHost(host)}:${address.port}`,
      adminTokenFile,
      ...(created !== undefined ? { adminToken: created } : {}),
      close() {
        closing ??= (async () => {
          try {
            await app.close(); // stops listening, lets in-flight requests finish
          } finally {
            await gate.close();
          }
          logger?.info('drained: in-flight requests finished, store and root of trust closed');
        })();
        return closing;
      },
    };
  } catch (error) {
    await gate.close();
    throw error;
  }
}

/**
 * SIGTERM and SIGINT close the server (draining in-flight requests), then exit 0 (1 if closing failed).
 * Returns a function that removes the handlers.
 * @example installSignalHandlers(await startServer({ dataDir: './data' }));
 */
export function installSignalHandlers(
  server: Pick<RunningServer, 'close'>,
  exit: (code: number) => void = (code) => process.exit(code),
): () => void {
  const onSignal = (): void => {
    remove();
    server.close().then(
      () => {
        exit(0);
      },
      () => {
        exit(1);
      },
    );
  };
  const remove = (): void => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  return remove;
}
