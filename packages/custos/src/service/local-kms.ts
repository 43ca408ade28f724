// LocalKms: the Kms interface in-process — a store (SQLite in the data directory, or PostgreSQL), a root key file, the KeyService.
// Must not import api.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { InternalError, ValidationError, type Caller, type CreateTokenResponse, type Kms } from '@custos/contract';
import { openFileRootOfTrust } from '../keystore/file/index.js';
import type { RootOfTrust } from '../keystore/root-of-trust.js';
import { migrateToLatest, openPostgresStore, openSqliteStore, type Store } from '../store/index.js';
import * as repo from '../store/repositories/index.js';
import { DEFAULT_CONFIG, type Logger, type ServiceConfig } from './context.js';
import { runMaintenance, type MaintenanceReport } from './jobs/maintenance.js';
import { TokenAuthenticator } from './authenticate.js';
import { authenticateAccessKey, type AuthenticatedAccessKey } from './operations/access-keys.js';
import { workerSink, workerSinkAvailable } from './audit/worker-sink.js';
import { KeyService, SYSTEM_CALLER } from './key-service.js';
import type { OperationName } from './lifecycle.js';
import type { StoreMetrics } from './operations/read-metrics.js';
import type { BootstrapTokenInput } from './operations/tokens.js';

export interface LocalKmsOptions {
  /** Directory holding `custos.db` (unless `databaseUrl`) and `root.key`; created (mode 0700) on first use. */
  readonly dataDir: string;
  /** PostgreSQL connection string: the store is PostgreSQL (shared by many nodes) instead of `<dataDir>/custos.db`. */
  readonly databaseUrl?: string;
  /** With `databaseUrl`: the schema holding Custos's tables (created if missing); default the server's search_path. */
  readonly databaseSchema?: string;
  /** With `databaseUrl`: the connection pool size; default 10. */
  readonly databasePoolSize?: number;
  /** PostgreSQL: how long to wait for a pooled connection, and the longest a statement may run (ms). */
  readonly databaseConnectionTimeoutMs?: number;
  readonly databaseStatementTimeoutMs?: number;
  /** Seals a new root key file with this passphrase (scrypt), or opens a sealed one. */
  readonly passphrase?: string;
  /** Root key file path; default `<dataDir>/root.key`. */
  readonly rootKeyFile?: string;
  /** The caller of calls that name none; default an administrator. */
  readonly defaultCaller?: Caller;
  readonly config?: Partial<ServiceConfig>;
  /** Clock, for tests of time-based rules. */
  readonly now?: () => Date;
  readonly logger?: Logger;
  /** How often background maintenance runs (ms); 0 turns it off (call `runMaintenance()` yourself). Default 60 s. */
  readonly maintenanceIntervalMs?: number;
}

/** The embedded administrator. */
export const LOCAL_ADMIN: Caller = { principal: 'local:admin', roles: ['admin'] };

const ROOT_KEY_CHECK = 'root_key_check_value';

const consoleLogger: Logger = {
  error: (details, message) => console.error(`custos: ${message}`, details),
};

/**
 * The Kms interface in-process.
 *
 * @example
 * const kms = await LocalKms.open({ dataDir: './data' });
 * const { keyMetadata } = await kms.createKey({ description: 'orders' });
 * const { ciphertextBlob } = await kms.encrypt({ keyId: keyMetadata.keyId, plaintext: new TextEncoder().encode('hi') });
 * await kms.close();
 */
export class LocalKms implements Kms {
  readonly #service: KeyService;
  readonly #defaultCaller: Caller;
  readonly #timer: NodeJS.Timeout | undefined;
  readonly #authenticator: TokenAuthenticator;
  #closed = false;

  private constructor(service: KeyService, defaultCaller: Caller, intervalMs: number) {
    this.#service = service;
    this.#defaultCaller = defaultCaller;
    this.#authenticator = new TokenAuthenticator(service.context);
    if (intervalMs > 0) {
      this.#timer = setInterval(() => void this.runMaintenance().catch(() => undefined), intervalMs);
      this.#timer.unref();
    }
  }

  /** Opens (creating on first use) a data directory. */
  static async open(options: LocalKmsOptions): Promise<LocalKms> {
    await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
    let store: Store | undefined;
    let rootOfTrust: RootOfTrust | undefined;
    try {
      // Not migrated on open: a store bound to another root key is refused before anything is written.
      store =
        options.databaseUrl !== undefined
          ? await openPostgresStore(options.databaseUrl, {
              migrate: false,
              ...(options.databaseSchema !== undefined ? { schema: options.databaseSchema } : {}),
              ...(options.databasePoolSize !== undefined ? { poolSize: options.databasePoolSize } : {}),
              ...(options.databaseConnectionTimeoutMs !== undefined
                ? { connectionTimeoutMs: options.databaseConnectionTimeoutMs }
                : {}),
              ...(options.databaseStatementTimeoutMs !== undefined
                ? { statementTimeoutMs: options.databaseStatementTimeoutMs }
                : {}),
            })
          : await openSqliteStore(join(options.dataDir, 'custos.db'), { migrate: false });
      // A store already bound to a root key never gets a new root key made for it: a missing file is an error.
      const bound = (await repo.meta.peek(store.db, ROOT_KEY_CHECK)) !== undefined;
      rootOfTrust = await openFileRootOfTrust({
        path: options.rootKeyFile ?? join(options.dataDir, 'root.key'),
        create: !bound,
        ...(options.passphrase !== undefined ? { passphrase: options.passphrase } : {}),
      });
      await refuseOtherRootOfTrust(store, rootOfTrust);
      await migrateToLatest(store.db, store.dialect);
      await bindRootOfTrust(store, rootOfTrust);
    } catch (error) {
      await store?.close();
      await rootOfTrust?.close();
      throw error;
    }
    // SQLite from the compiled package: durable audit commits on a worker thread (see audit/worker-sink.ts).
    const auditSink =
      store.dialect === 'sqlite' && options.databaseUrl === undefined && workerSinkAvailable()
        ? await workerSink(join(options.dataDir, 'custos.db'))
        : undefined;
    const service = new KeyService({
      store,
      rootOfTrust,
      ...(auditSink ? { auditSink } : {}),
      config: { ...DEFAULT_CONFIG, ...options.config },
      now: options.now ?? (() => new Date()),
      logger: options.logger ?? consoleLogger,
    });
    return new LocalKms(service, options.defaultCaller ?? LOCAL_ADMIN, options.maintenanceIntervalMs ?? 60_000);
  }

  /** The service settings (the region and account of key ARNs, which the AWS protocol's SigV4 scope names too). */
  get config(): ServiceConfig {
    return this.#service.context.config;
  }

  /** Runs background maintenance once (deletions, automatic rotations, expiries) and reports what it did. */
  runMaintenance(): Promise<MaintenanceReport> {
    return runMaintenance(this.#service);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    await this.#authenticator.drain();
    await this.#service.close();
    this.#service.context.cache.clear();
    await this.#service.context.store.close();
    await this.#service.context.rootOfTrust.close();
  }

  /**
   * The caller a REST API bearer token stands for (service-level, not a Kms operation). Unknown, revoked, expired
   * or malformed tokens fail with UNAUTHENTICATED.
   * @example const caller = await kms.authenticate(bearerToken);
   */
  authenticate(token: string): Promise<Caller> {
    if (this.#closed) return Promise.reject(new InternalError('this LocalKms is closed'));
    return this.#authenticator.authenticate(token);
  }

  /**
   * `authenticate` without a promise when the token is in the authentication cache (the REST API's hot path):
   * the caller, or undefined when the store must be asked (then call `authenticate`). Throws UNAUTHENTICATED.
   */
  authenticateCached(token: string): Caller | undefined {
    if (this.#closed) throw new InternalError('this LocalKms is closed');
    return this.#authenticator.authenticateCached(token);
  }

  /**
   * First start: when the store has no API token at all, creates an admin token (principal `admin`) and passes it
   * to `persist` before committing, so it exists only if saved. Returns it, or undefined when tokens exist.
   */
  bootstrapAdminToken(persist: BootstrapTokenInput['persist']): Promise<CreateTokenResponse | undefined> {
    return this.#run('BootstrapToken', { persist } satisfies BootstrapTokenInput, SYSTEM_CALLER);
  }

  /**
   * The caller an AWS access key stands for, and its secret, for the AWS protocol's SigV4 check (service-level, not
   * a Kms operation). Unknown, revoked or malformed ids fail with UNAUTHENTICATED. Wipe the secret after use.
   * @example const { caller, secretAccessKey } = await kms.authenticateAccessKey('AKIACUSTOS…');
   */
  authenticateAccessKey(accessKeyId: string): Promise<AuthenticatedAccessKey> {
    if (this.#closed) return Promise.reject(new InternalError('this LocalKms is closed'));
    return authenticateAccessKey(this.#service.context, accessKeyId);
  }

  /**
   * The store's figures for GET /metrics (keys by state), for a caller with the `monitor` or `admin` role
   * (service-level, not a Kms operation; audited as ReadMetrics like any operation).
   */
  readMetrics(caller: Caller): Promise<StoreMetrics> {
    return this.#run('ReadMetrics', {}, caller);
  }

  /** Resolves when the store answers a query (readiness probe). */
  async checkReady(): Promise<void> {
    if (this.#closed) throw new InternalError('this LocalKms is closed');
    await repo.meta.get(this.#service.context.store.db, ROOT_KEY_CHECK);
  }

  #run<R>(operation: OperationName, input: unknown, caller: Caller | undefined): Promise<R> {
    if (this.#closed) return Promise.reject(new InternalError('this LocalKms is closed'));
    return this.#service.run<R>(operation, input ?? {}, caller ?? this.#defaultCaller);
  }

  createKey: Kms['createKey'] = (input, caller) => this.#run('CreateKey', input, caller);
  describeKey: Kms['describeKey'] = (input, caller) => this.#run('DescribeKey', input, caller);
  listKeys: Kms['listKeys'] = (input, caller) => this.#run('ListKeys', input, caller);
  updateKeyDescription: Kms['updateKeyDescription'] = (input, caller) =>
    this.#run('UpdateKeyDescription', input, caller);
  enableKey: Kms['enableKey'] = (input, caller) => this.#run('EnableKey', input, caller);
  disableKey: Kms['disableKey'] = (input, caller) => this.#run('DisableKey', input, caller);
  scheduleKeyDeletion: Kms['scheduleKeyDeletion'] = (input, caller) => this.#run('ScheduleKeyDeletion', input, caller);
  cancelKeyDeletion: Kms['cancelKeyDeletion'] = (input, caller) => this.#run('CancelKeyDeletion', input, caller);
  createAlias: Kms['createAlias'] = (input, caller) => this.#run('CreateAlias', input, caller);
  updateAlias: Kms['updateAlias'] = (input, caller) => this.#run('UpdateAlias', input, caller);
  deleteAlias: Kms['deleteAlias'] = (input, caller) => this.#run('DeleteAlias', input, caller);
  listAliases: Kms['listAliases'] = (input, caller) => this.#run('ListAliases', input, caller);
  tagResource: Kms['tagResource'] = (input, caller) => this.#run('TagResource', input, caller);
  untagResource: Kms['untagResource'] = (input, caller) => this.#run('UntagResource', input, caller);
  listResourceTags: Kms['listResourceTags'] = (input, caller) => this.#run('ListResourceTags', input, caller);
  encrypt: Kms['encrypt'] = (input, caller) => this.#run('Encrypt', input, caller);
  decrypt: Kms['decrypt'] = (input, caller) => this.#run('Decrypt', input, caller);
  reEncrypt: Kms['reEncrypt'] = (input, caller) => this.#run('ReEncrypt', input, caller);
  generateDataKey: Kms['generateDataKey'] = (input, caller) => this.#run('GenerateDataKey', input, caller);
  generateDataKeyWithoutPlaintext: Kms['generateDataKeyWithoutPlaintext'] = (input, caller) =>
    this.#run('GenerateDataKeyWithoutPlaintext', input, caller);
  generateDataKeyPair: Kms['generateDataKeyPair'] = (input, caller) => this.#run('GenerateDataKeyPair', input, caller);
  generateDataKeyPairWithoutPlaintext: Kms['generateDataKeyPairWithoutPlaintext'] = (input, caller) =>
    this.#run('GenerateDataKeyPairWithoutPlaintext', input, caller);
  generateRandom: Kms['generateRandom'] = (input, caller) => this.#run('GenerateRandom', input, caller);
  sign: Kms['sign'] = (input, caller) => this.#run('Sign', input, caller);
  verify: Kms['verify'] = (input, caller) => this.#run('Verify', input, caller);
  getPublicKey: Kms['getPublicKey'] = (input, caller) => this.#run('GetPublicKey', input, caller);
  generateMac: Kms['generateMac'] = (input, caller) => this.#run('GenerateMac', input, caller);
  verifyMac: Kms['verifyMac'] = (input, caller) => this.#run('VerifyMac', input, caller);
  deriveSharedSecret: Kms['deriveSharedSecret'] = (input, caller) => this.#run('DeriveSharedSecret', input, caller);
  deriveKey: Kms['deriveKey'] = (input, caller) => this.#run('DeriveKey', input, caller);
  enableKeyRotation: Kms['enableKeyRotation'] = (input, caller) => this.#run('EnableKeyRotation', input, caller);
  disableKeyRotation: Kms['disableKeyRotation'] = (input, caller) => this.#run('DisableKeyRotation', input, caller);
  getKeyRotationStatus: Kms['getKeyRotationStatus'] = (input, caller) =>
    this.#run('GetKeyRotationStatus', input, caller);
  rotateKeyOnDemand: Kms['rotateKeyOnDemand'] = (input, caller) => this.#run('RotateKeyOnDemand', input, caller);
  listKeyRotations: Kms['listKeyRotations'] = (input, caller) => this.#run('ListKeyRotations', input, caller);
  getParametersForImport: Kms['getParametersForImport'] = (input, caller) =>
    this.#run('GetParametersForImport', input, caller);
  importKeyMaterial: Kms['importKeyMaterial'] = (input, caller) => this.#run('ImportKeyMaterial', input, caller);
  deleteImportedKeyMaterial: Kms['deleteImportedKeyMaterial'] = (input, caller) =>
    this.#run('DeleteImportedKeyMaterial', input, caller);
  getKeyPolicy: Kms['getKeyPolicy'] = (input, caller) => this.#run('GetKeyPolicy', input, caller);
  putKeyPolicy: Kms['putKeyPolicy'] = (input, caller) => this.#run('PutKeyPolicy', input, caller);
  exportKey: Kms['exportKey'] = (input, caller) => this.#run('ExportKey', input, caller);
  updateKeyConstraints: Kms['updateKeyConstraints'] = (input, caller) =>
    this.#run('UpdateKeyConstraints', input, caller);
  listAuditRecords: Kms['listAuditRecords'] = (input, caller) => this.#run('ListAuditRecords', input, caller);
  verifyAuditChain: Kms['verifyAuditChain'] = (input, caller) => this.#run('VerifyAuditChain', input, caller);
  createToken: Kms['createToken'] = (input, caller) => this.#run('CreateToken', input, caller);
  listTokens: Kms['listTokens'] = (input, caller) => this.#run('ListTokens', input, caller);
  revokeToken: Kms['revokeToken'] = async (input, caller) => {
    const result = await this.#run<Awaited<ReturnType<Kms['revokeToken']>>>('RevokeToken', input, caller);
    this.#authenticator.forget(input.tokenId);
    return result;
  };
  createAccessKey: Kms['createAccessKey'] = (input, caller) => this.#run('CreateAccessKey', input, caller);
  listAccessKeys: Kms['listAccessKeys'] = (input, caller) => this.#run('ListAccessKeys', input, caller);
  revokeAccessKey: Kms['revokeAccessKey'] = (input, caller) => this.#run('RevokeAccessKey', input, caller);
}

/**
 * A store belongs to one root key: the first open records the root key's check value, and a later open with a
 * different root key is refused before anything is written (DESIGN: no node ever writes under a wrong root).
 */
async function bindRootOfTrust(store: Store, rootOfTrust: RootOfTrust): Promise<void> {
  // Insert-if-absent, then compare: of two nodes racing on an empty database, the second sees the first's value.
  const recorded = await store.transaction((tx) =>
    repo.meta.setIfAbsent(tx, ROOT_KEY_CHECK, rootOfTrust.keyCheckValue),
  );
  if (recorded !== rootOfTrust.keyCheckValue) throw differentRootKey();
}

/** Before migrating: an initialised store (its meta table holds a check value) bound to another root key is refused. Reads only. */
async function refuseOtherRootOfTrust(store: Store, rootOfTrust: RootOfTrust): Promise<void> {
  const recorded = await repo.meta.peek(store.db, ROOT_KEY_CHECK);
  if (recorded !== undefined && recorded !== rootOfTrust.keyCheckValue) throw differentRootKey();
}

function differentRootKey(): ValidationError {
  return new ValidationError(
    'this store (data directory or database) was initialised with a different root key; refusing to open it',
  );
}
