// The seal gate: a server whose root of trust needs operator input (shamir) listens before its service exists. The
// gate collects unseal shares, opens LocalKms at the threshold, and closes it again on seal; every route reaches
// the service through the gate's view, which answers SEALED while there is none. Must not be imported by service,
// store, keystore or core.
import { InternalError, UnavailableError, UnsupportedError, ValidationError, type Caller } from '@custos/contract';
import type { LocalKms, RootOfTrustKind } from '../service/local-kms.js';

/** GET /v1/sys/seal-status. Never a share, nor anything derived from one. */
export type SealStatus =
  | { readonly sealed: true; readonly threshold: number; readonly progress: number; readonly rootOfTrust: 'shamir' }
  | { readonly sealed: false; readonly rootOfTrust: RootOfTrustKind };

/** How a sealed server unseals (api/server.ts builds it from the root key file and the LocalKms options). */
export interface Unsealer {
  /** Shares needed to unseal. */
  readonly threshold: number;
  /** A share's index (x coordinate); INVALID_SHARE or FOREIGN_SHARE before it is collected. */
  shareIndex(share: unknown): number;
  /** Opens the service with the shares (WRONG_SHARES when they do not open the root key). */
  open(shares: readonly string[]): Promise<LocalKms>;
  /** The service settings the AWS endpoint needs before the service exists (its region). */
  readonly config: LocalKms['config'];
}

const sealedError = (): UnavailableError =>
  new UnavailableError(
    'the server is sealed: unseal it with its shares (custos operator unseal), then retry',
    undefined,
    'SEALED',
  );

/**
 * Where a worker of `custos server --workers N` tells the others (through its primary) of a share it accepted and of
 * a seal, so that unsealing and sealing reach every worker (api/cluster/worker.ts).
 */
export interface SealRelay {
  /** Resolves once every other worker has applied the share. */
  share(share: string): Promise<void>;
  /** Resolves once every other worker is sealed. */
  sealed(): Promise<void>;
}

/** The LocalKms methods the API calls that return no promise. */
const SYNC_METHODS = new Set(['authenticateCached', 'authenticateAccessKeyCached', 'keyCacheStatus']);

function throwSealed(): never {
  throw sealedError();
}

/**
 * Holds the service, or the shares collected so far. Unseal attempts run one at a time.
 * @example const gate = SealGate.sealed(unsealer); const app = buildApp(gate); await gate.unseal(share);
 */
export class SealGate {
  readonly #unsealer: Unsealer | undefined;
  #kms: LocalKms | undefined;
  #shares: string[] = [];
  #indexes = new Set<number>();
  #queue: Promise<unknown> = Promise.resolve();
  #inFlight = 0;
  #idle: (() => void)[] = [];
  #closed = false;
  #relay: SealRelay | undefined;
  /** The service as every route sees it: each call goes to the open LocalKms, or fails with SEALED. */
  readonly view: LocalKms;

  private constructor(kms: LocalKms | undefined, unsealer: Unsealer | undefined) {
    this.#kms = kms;
    this.#unsealer = unsealer;
    const config = kms?.config ?? unsealer?.config;
    // The target is never read: every property comes from the trap.
    const target: unknown = Object.create(null);
    const methods = new Map<string, (...args: unknown[]) => unknown>(); // one function per method, not per call
    this.view = new Proxy(target as LocalKms, {
      get: (_target, property) => {
        if (property === 'config') return this.#kms?.config ?? config;
        if (typeof property !== 'string' || property === 'then') return undefined;
        let method = methods.get(property);
        if (!method) {
          method = (...args: unknown[]) => this.#call(property, args);
          methods.set(property, method);
        }
        return method;
      },
    });
  }

  /** A gate around a service already open (file and pkcs11 roots): it reports unsealed and cannot seal. */
  static unsealed(kms: LocalKms): SealGate {
    return new SealGate(kms, undefined);
  }

  /** A sealed gate (the shamir root): nothing is served until `unseal` has collected the threshold of shares. */
  static sealed(unsealer: Unsealer): SealGate {
    return new SealGate(undefined, unsealer);
  }

  /** The error every route but the seal routes and /healthz answers while sealed. */
  sealedError(): UnavailableError {
    return sealedError();
  }

  get sealed(): boolean {
    return this.#kms === undefined;
  }

  status(): SealStatus {
    if (this.#kms) return { sealed: false, rootOfTrust: this.#kms.rootOfTrustKind };
    return {
      sealed: true,
      threshold: this.#unsealer?.threshold ?? 0,
      progress: this.#shares.length,
      rootOfTrust: 'shamir',
    };
  }

  /**
   * Adds one share. INVALID_SHARE and DUPLICATE_SHARE keep the progress; FOREIGN_SHARE and WRONG_SHARES (and any
   * failure to open at the threshold) reset it. Unsealed already: the status, unchanged. A share given here (not
   * `relayed` from another worker) goes to the relay once collected (and opened with, at the threshold): the reply
   * waits for every other worker to have applied it.
   */
  unseal(share: unknown, from: { readonly relayed?: boolean } = {}): Promise<SealStatus> {
    const next = this.#queue.then(() => this.#unsealOne(share));
    this.#queue = next.catch(() => undefined);
    // Outside the queue: two workers relaying to each other at once must not wait on each other's queue.
    return next.then(async (collected) => {
      if (collected && from.relayed !== true) await this.#relay?.share(share as string);
      return this.status();
    });
  }

  /** Sends this gate's accepted shares and seals to `relay` (a cluster worker's primary). */
  relayTo(relay: SealRelay): void {
    this.#relay = relay;
  }

  /** Whether the share was collected (or opened the service). */
  async #unsealOne(share: unknown): Promise<boolean> {
    const unsealer = this.#unsealer;
    if (this.#closed) throw new UnavailableError('the server is shutting down');
    if (this.#kms || !unsealer) return false;
    let index: number;
    try {
      index = unsealer.shareIndex(share);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'FOREIGN_SHARE') this.#reset();
      throw error;
    }
    if (this.#indexes.has(index))
      throw new ValidationError('this unseal share was already given; give another one', 'DUPLICATE_SHARE');
    this.#indexes.add(index);
    this.#shares.push(share as string);
    if (this.#shares.length < unsealer.threshold) return true;
    const shares = this.#shares;
    this.#reset();
    const kms = await unsealer.open(shares);
    try {
      await kms.recordUnseal();
    } catch (error) {
      await kms.close();
      throw error;
    }
    this.#kms = kms;
    return true;
  }

  #reset(): void {
    this.#shares = [];
    this.#indexes = new Set();
  }

  /**
   * Seals again (admin): audits the seal as `caller` (ACCESS_DENIED otherwise), refuses new calls with SEALED,
   * waits for the calls in flight, and closes the service, which drops the root key. UNSUPPORTED on a root of
   * trust that cannot be unsealed again (file, pkcs11).
   */
  seal(caller: Caller): Promise<SealStatus> {
    const next = this.#queue.then(async () => {
      const kms = this.#kms;
      if (!this.#unsealer)
        throw new UnsupportedError(
          `this server's root of trust (${kms?.rootOfTrustKind ?? 'file'}) cannot be sealed: only shamir can`,
        );
      if (!kms) return false;
      await kms.recordSeal(caller);
      this.#kms = undefined;
      await this.#drained();
      await kms.close();
      return true;
    });
    this.#queue = next.catch(() => undefined);
    return next.then(async (sealedHere) => {
      if (sealedHere) await this.#relay?.sealed();
      return this.status();
    });
  }

  /** Seals because another worker of this server was sealed (and audited it): drops the service and any shares. */
  sealRelayed(): Promise<SealStatus> {
    const next = this.#queue.then(async () => {
      const kms = this.#kms;
      this.#kms = undefined;
      this.#reset();
      await this.#drained();
      await kms?.close();
      return this.status();
    });
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** Closes the service if open; unseals are refused from now on. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#queue;
    const kms = this.#kms;
    this.#kms = undefined;
    this.#reset();
    await this.#drained();
    await kms?.close();
  }

  #call(method: string, args: unknown[]): unknown {
    const kms = this.#kms;
    // As the method would have failed: a throw from the synchronous one, a rejection from the others.
    if (!kms) return SYNC_METHODS.has(method) ? throwSealed() : Promise.reject(sealedError());
    const fn = (kms as unknown as Record<string, unknown>)[method];
    if (typeof fn !== 'function') throw new InternalError(`LocalKms has no method ${method}`);
    const result: unknown = (fn as (...a: unknown[]) => unknown).apply(kms, args);
    if (!(result instanceof Promise)) return result;
    this.#inFlight += 1;
    return result.finally(() => {
      this.#inFlight -= 1;
      if (this.#inFlight === 0) for (const wake of this.#idle.splice(0)) wake();
    });
  }

  #drained(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }
}
