// LocalKms: the Kms interface in-process — a store (SQLite in the data directory, or PostgreSQL), a root of trust (a
// root key file, plain, passphrase- or Shamir-sealed, or a key in a PKCS#11 token: local-kms-roots.ts), the KeyService.
// Must not import api.
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import {
  AccessDeniedError,
  InternalError,
  type Caller,
  type ContractOperation,
  jwkFacade,
  type CreateTokenResponse,
  type Jwk,
  type JwkFacade,
  type Kms,
  type KmsOperations,
} from '@custos/contract';
import type { Static } from '@sinclair/typebox';
import * as repo from '../store/repositories/index.js';
import type { ServiceConfig } from './context.js';
import { runMaintenance, type MaintenanceReport } from './jobs/maintenance.js';
import { TokenAuthenticator } from './authenticate.js';
import { AccessKeyAuthenticator, type AuthenticatedAccessKey } from './authenticate-access-key.js';
import type { Checkpointer } from './audit/checkpoints.js';
import { readSeedFile } from './dev/seed-file.js';
import type { KeyService } from './key-service.js';
import { SYSTEM_CALLER } from './lifecycle.js';
import { storeOptions } from './store-options.js';
import { assembleService, openBoundStore } from './local-kms-open.js';
import type { ServiceOperation } from './define-operation.js';
import type { PreloadStatus } from './cache-preload.js';
import type { KeyCacheStatus, LocalKmsOptions } from './local-kms-options.js';
import { bootstrapToken, type BootstrapTokenInput } from './operations/bootstrap-token.js';
import { SERVICE_OPERATIONS } from './operations/index.js';
import { readMetrics, type StoreMetrics } from './operations/read-metrics.js';
import { jwksOf } from './operations/list-jwks.js';
import { recordSignedRequest } from './replay-guard.js';
import { sealing, unsealed } from './operations/seal.js';
import { ROOT_KEY_CHECK } from './root/open-ring.js';
import type { RootRotator, RotationProgress } from './root/rotator.js';
import { targetPlace, type RootOfTrustKind, type RootTarget } from './local-kms-roots.js';

export type { RootOfTrustKind, RootOfTrustSettings, RootTarget } from './local-kms-roots.js';

export type { KeyCacheStatus, LocalKmsOptions } from './local-kms-options.js';

/** The embedded administrator. */
export const LOCAL_ADMIN: Caller = { principal: 'local:admin', roles: ['admin'] };

// The operation methods are generated in the constructor; this declaration gives them their types from the Kms
// interface. SERVICE_OPERATIONS has every operation (the compiler checks), so none is missing. Both lint rules
// are right in general and wrong here: the merge (and an interface with no members of its own) is the point.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- see above
export interface LocalKms extends KmsOperations {}

/**
 * The Kms interface in-process.
 *
 * @example
 * const kms = await LocalKms.open({ dataDir: './app-keys' });
 * const { keyMetadata } = await kms.createKey({ description: 'orders' });
 * const { ciphertextBlob } = await kms.encrypt({ keyId: keyMetadata.keyId, plaintext: new TextEncoder().encode('hi') });
 * await kms.close();
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- the interface above types its generated methods
export class LocalKms implements Kms {
  readonly #service: KeyService;
  readonly #defaultCaller: Caller;
  readonly #timer: NodeJS.Timeout | undefined;
  readonly #authenticator: TokenAuthenticator;
  readonly #accessKeys: AccessKeyAuthenticator;
  readonly #checkpointer: Checkpointer;
  /** Which root of trust this store was opened with (GET /v1/sys/seal-status reports it). */
  readonly rootOfTrustKind: RootOfTrustKind;
  readonly #rotator: RootRotator;
  readonly #dataDir: string;
  #closed = false;
  /** The generic KMS seed's interface over this LocalKms (keys as JWKs, JOSE signatures, compact JWE). */
  readonly jwk: JwkFacade = jwkFacade(this);

  private constructor(
    service: KeyService,
    defaultCaller: Caller,
    intervalMs: number,
    checkpointer: Checkpointer,
    rootOfTrustKind: RootOfTrustKind,
    rotator: RootRotator,
    dataDir: string,
  ) {
    this.#service = service;
    this.rootOfTrustKind = rootOfTrustKind;
    this.#rotator = rotator;
    this.#dataDir = dataDir;
    this.#checkpointer = checkpointer;
    service.onAuditAppended = (count) => {
      checkpointer.noteAppended(count);
    };
    this.#defaultCaller = defaultCaller;
    this.#authenticator = new TokenAuthenticator(service.context);
    this.#accessKeys = new AccessKeyAuthenticator(service.context);
    // The operation methods, generated from the service registry as RemoteKms's are from the contract's, except
    // those the class writes by hand (revokeToken, revokeAccessKey); bound like them, so `const { encrypt } = kms` works.
    for (const [method, operation] of Object.entries(SERVICE_OPERATIONS) as [string, ServiceOperation][]) {
      if (Object.hasOwn(this, method)) continue;
      const run = (input?: unknown, caller?: Caller): Promise<unknown> => this.#run(operation, input, caller);
      Object.defineProperty(run, 'name', { value: method });
      Object.defineProperty(this, method, { value: run, writable: true, configurable: true, enumerable: true });
    }
    if (intervalMs > 0) {
      this.#timer = setInterval(() => void this.runMaintenance().catch(() => undefined), intervalMs);
      this.#timer.unref();
    }
    void service.preload.start();
  }

  /**
   * Opens (creating on first use) a data directory. A SQLite store is held by one process at a time: one that a
   * running server or another LocalKms holds is refused with UNAVAILABLE naming the holder; `close` releases it.
   */
  static async open(options: LocalKmsOptions): Promise<LocalKms> {
    const selected = storeOptions(options);
    // A bad seed file is refused before the data directory is touched.
    const seedFile = options.dev?.seedFile !== undefined ? await readSeedFile(options.dev.seedFile) : undefined;
    await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
    const bound = await openBoundStore(options, selected);
    const { service, checkpointer, rotator } = await assembleService(options, selected, bound, seedFile);
    return new LocalKms(
      service,
      options.defaultCaller ?? LOCAL_ADMIN,
      options.maintenanceIntervalMs ?? 60_000,
      checkpointer,
      options.rootOfTrust?.kind ?? 'file',
      rotator,
      options.dataDir,
    );
  }

  /** Whether this LocalKms runs in development mode (the server says so in every response). */
  get devMode(): boolean {
    return this.#service.context.dev !== undefined;
  }

  /** The service settings (the region and account of key ARNs, which the AWS protocol's SigV4 scope names too). */
  get config(): ServiceConfig {
    return this.#service.context.config;
  }

  /** The key cache: keys and estimated bytes of metadata held, and its preload (GET /metrics, custos_key_cache_*). */
  keyCacheStatus(): KeyCacheStatus {
    const { cache } = this.#service.context;
    return { keys: cache.size, bytes: cache.bytes, preload: { ...this.#service.preload.status } };
  }

  /** Resolves when the key cache's preload has ended (at once when it is off), with how it ended. */
  keyCachePreloaded(): Promise<PreloadStatus> {
    return this.#service.preload.start().then((status) => ({ ...status }));
  }

  /** Runs background maintenance once (deletions, automatic rotations, expiries) and reports what it did. */
  runMaintenance(): Promise<MaintenanceReport> {
    return runMaintenance(this.#service);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    await this.#service.preload.stop();
    await this.#authenticator.drain();
    await this.#accessKeys.drain();
    await this.#service.close();
    await this.#checkpointer.close(); // every record is written: sign the final head
    this.#service.context.cache.clear();
    await this.#service.context.store.close();
    await this.#service.context.hsmTokens?.close();
    await this.#service.context.rootOfTrust.close();
    this.#rotator.close();
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
    if (this.#closed) return Promise.reject(new InternalError('this LocalKms is closed'));
    return this.#service.runInternal(bootstrapToken, { persist }, SYSTEM_CALLER);
  }

  /**
   * The caller an AWS access key stands for, and how to unwrap its secret, for the AWS protocol's SigV4 check
   * (service-level, not a Kms operation; cached a few seconds, dropped at once by a revoke). Unknown, revoked or
   * malformed ids fail with UNAUTHENTICATED. Wipe each unwrapped secret after use.
   * @example const { caller, secretAccessKey } = await kms.authenticateAccessKey('AKIACUSTOS…');
   */
  authenticateAccessKey(accessKeyId: string): Promise<AuthenticatedAccessKey> {
    if (this.#closed) return Promise.reject(new InternalError('this LocalKms is closed'));
    return this.#accessKeys.authenticate(accessKeyId);
  }

  /**
   * `authenticateAccessKey` without a promise when the lookup is cached (the AWS protocol's hot path): undefined when
   * the store must be asked (then call `authenticateAccessKey`).
   */
  authenticateAccessKeyCached(accessKeyId: string): AuthenticatedAccessKey | undefined {
    if (this.#closed) throw new InternalError('this LocalKms is closed');
    return this.#accessKeys.authenticateCached(accessKeyId);
  }

  /**
   * The store's figures for GET /metrics (keys by state), for a caller with the `monitor` or `admin` role
   * (service-level, not a Kms operation; audited as ReadMetrics like any operation).
   */
  readMetrics(caller: Caller): Promise<StoreMetrics> {
    if (this.#closed) return Promise.reject(new InternalError('this LocalKms is closed'));
    return this.#service.runInternal(readMetrics, {}, caller);
  }

  /**
   * The JWK Set GET /.well-known/jwks.json serves without a token: the enabled signing keys marked publishJwk
   * (service-level, not a Kms operation, and not audited: it is public data, and public callers must not be able to
   * fill the audit log). Each row is checked against its MAC as any read is.
   */
  publishedJwks(): Promise<{ keys: Jwk[] }> {
    if (this.#closed) return Promise.reject(new InternalError('this LocalKms is closed'));
    return jwksOf(this.#service.context, { published: true }).then((keys) => ({ keys }));
  }

  /**
   * Resolves when the store answers a query and takes writes (readiness probe): after a call failed because the
   * store was unavailable (a full disk), only once a probe write commits again (see store-health.ts).
   */
  async checkReady(): Promise<void> {
    if (this.#closed) throw new InternalError('this LocalKms is closed');
    const store = this.#service.context.store;
    await this.#service.storeHealth.check(store, () => repo.meta.get(store.db, ROOT_KEY_CHECK));
  }

  /** Audits a sealed server's root key entering memory: the first record of a node that just unsealed. */
  async recordUnseal(): Promise<void> {
    if (this.#closed) throw new InternalError('this LocalKms is closed');
    await this.#service.runInternal(unsealed, { rootOfTrust: this.rootOfTrustKind }, SYSTEM_CALLER);
  }

  /**
   * Audits, before a node seals, its root key leaving memory at `caller`'s request: ACCESS_DENIED (and the caller
   * must not seal) unless the caller may (the admin role).
   */
  async recordSeal(caller: Caller): Promise<void> {
    if (this.#closed) throw new InternalError('this LocalKms is closed');
    await this.#service.runInternal(sealing, { rootOfTrust: this.rootOfTrustKind }, caller);
  }

  /**
   * RotateRoot (admin): makes a new root key where the current one lives, re-wraps every wrapped column under it
   * while calls keep being served, binds the store to it and destroys the old one; resolves when done. Resumes an
   * interrupted rotation. The derived keys (row MACs, token hashes, audit chain and signing) never change.
   * @example await kms.rotateRoot(adminCaller);
   */
  async rotateRoot(caller: Caller): Promise<RotationProgress> {
    if (this.#closed) throw new InternalError('this LocalKms is closed');
    requireAdmin(caller);
    return this.#rotator.run(caller);
  }

  /**
   * MigrateRoot (admin): as rotateRoot, to a root of another kind (`target`); later starts must name the new root.
   * @example await kms.migrateRoot({ kind: 'pkcs11', module, tokenLabel, pin }, adminCaller);
   */
  async migrateRoot(target: RootTarget, caller: Caller): Promise<RotationProgress> {
    if (this.#closed) throw new InternalError('this LocalKms is closed');
    requireAdmin(caller);
    return this.#rotator.run(caller, await targetPlace(target, this.#dataDir));
  }

  /**
   * RotateRoot started in the background (POST /v1/sys/rotate-root): refused at once for a non-admin or while a
   * migration is in progress; otherwise answers with the progress, and the outcome is in rootRotationStatus.
   */
  async startRotateRoot(caller: Caller): Promise<RotationProgress> {
    if (this.#closed) throw new InternalError('this LocalKms is closed');
    requireAdmin(caller);
    return this.#rotator.start(caller);
  }

  /** The root rotation's progress (admin). */
  async rootRotationStatus(caller: Caller): Promise<RotationProgress> {
    if (this.#closed) throw new InternalError('this LocalKms is closed');
    requireAdmin(caller);
    return this.#rotator.status();
  }

  /** Runs a Kms operation for `caller` (the default caller when none is named). */
  #run<Row extends ContractOperation>(
    operation: ServiceOperation<Row>,
    input: unknown,
    caller: Caller | undefined,
  ): Promise<Static<Row['response']>> {
    if (this.#closed) return Promise.reject(new InternalError('this LocalKms is closed'));
    return this.#service.run(operation, input ?? {}, caller ?? this.#defaultCaller);
  }

  /** As every operation, and then the token leaves this process's authentication cache at once. */
  revokeToken: Kms['revokeToken'] = async (input, caller) => {
    const result = await this.#run(SERVICE_OPERATIONS.revokeToken, input, caller);
    this.#authenticator.forget(input.tokenId);
    return result;
  };

  /** As every operation, and then maintenance runs at the new time: windows the move passed close at once. */
  advanceDevClock: Kms['advanceDevClock'] = async (input, caller) => {
    const result = await this.#run(SERVICE_OPERATIONS.advanceDevClock, input, caller);
    const { destroyed, rotated, expired, renewed, failed } = await this.runMaintenance();
    return { ...result, maintenance: { destroyed, rotated, expired, renewed, failed } };
  };

  /** As every operation, and then the access key leaves this process's authentication cache at once. */
  revokeAccessKey: Kms['revokeAccessKey'] = async (input, caller) => {
    const result = await this.#run(SERVICE_OPERATIONS.revokeAccessKey, input, caller);
    this.#accessKeys.forget(input.accessKeyId);
    return result;
  };

  /**
   * The replay guard of signed requests (service-level, not a Kms operation; the AWS protocol calls it once the
   * signature verified): false when `operation` (AWS name) changes state and a request with this signature digest
   * already ran, on any node sharing the store, before its signature expires at `expiresAt`. See replay-guard.ts.
   * @example if (!(await kms.recordSignedRequest('DisableKey', sha256hex(signature), expiresAt))) refuse();
   */
  recordSignedRequest(operation: string, digest: string, expiresAt: Date): Promise<boolean> {
    if (this.#closed) return Promise.reject(new InternalError('this LocalKms is closed'));
    return recordSignedRequest(this.#service.context, operation, digest, expiresAt).catch((error: unknown) => {
      // A full disk or a lost database is UNAVAILABLE here too (and /readyz hears of it), not INTERNAL.
      throw this.#service.toKmsError(error, operation, randomUUID());
    });
  }
}

/** Root rotation and migration are for administrators only (no key-admin: they touch every key). */
function requireAdmin(caller: Caller): void {
  if (!caller.roles.includes('admin')) throw new AccessDeniedError('rotating the root key needs the admin role');
}
