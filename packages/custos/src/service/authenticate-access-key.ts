// Access key authentication for the AWS protocol's SigV4 check (service-level, not a Kms operation): an access key
// id → who it stands for, and how to unwrap its secret. Lookups are cached for a few seconds, as bearer tokens are
// (authenticate.ts): a revoke drops the entry at once on this node and, through the store's change notifications,
// on every other node; and the SigV4 check keys its signing-key cache to the entry, so a key looked up anew is
// derived anew. The secret stays wrapped in the cache: it is unwrapped (and wiped) to check it at lookup, and
// again only when a signing key is derived.
// Must not import api.
import { AuthenticationError, type Caller } from '@custos/contract';
import type { SecretBytes } from '../core/secret-bytes.js';
import { CREDENTIALS_CHANGED } from '../store/index.js';
import * as repo from '../store/repositories/index.js';
import { AUTH_CACHE_TTL_MS } from './authenticate.js';
import type { ServiceContext } from './context.js';
import { guardIntegrity } from './integrity/failure.js';
import { secretAad } from './operations/create-access-key.js';
import { unwrapCurrent } from './root/unwrap-current.js';

/** The exact shape of an access key id: anything else is refused before any lookup. */
const ACCESS_KEY_ID_PATTERN = /^AKIACUSTOS[A-Z2-7]{10}$/;
/** `lastUsedAt` is written at most this often per access key, to keep authentication off the write path. */
const TOUCH_INTERVAL_MS = 60_000;
const MAX_CACHE_ENTRIES = 10_000;
const DONE: Promise<void> = Promise.resolve();

/** What a SigV4 check needs: who the access key stands for, and its secret (wipe each copy after use). */
export interface AuthenticatedAccessKey {
  readonly caller: Caller;
  /** Unwraps a copy of the secret (the SigV4 check asks only when it has no signing key for this entry). */
  readonly secretAccessKey: () => Promise<SecretBytes>;
  /**
   * Records a successful use (`lastUsedAt`, written at most once a minute). Call it once the signature has verified,
   * so that a request with a known id and a wrong signature does not count as a use. Resolves once written (no
   * request need wait: LocalKms.close waits for it); never rejects.
   */
  recordUse(): Promise<void>;
}

interface CacheEntry {
  /** Shared by every request with this access key while cached: never modified. */
  readonly found: AuthenticatedAccessKey;
  readonly cachedUntil: number;
}

export class AccessKeyAuthenticator {
  readonly #cache = new Map<string, CacheEntry>();
  readonly #pending = new Set<Promise<void>>();
  readonly #unsubscribe: () => void;

  constructor(private readonly context: ServiceContext) {
    // Access key (like token) operations announce CREDENTIALS_CHANGED; a reconnect of the listener, null.
    this.#unsubscribe = context.store.onKeyChange((keyId) => {
      if (keyId === null || keyId === CREDENTIALS_CHANGED) this.#cache.clear();
    });
  }

  /**
   * The caller and secret of an access key; UNAUTHENTICATED (one message) when the id is malformed, unknown or
   * revoked. The same object while the lookup is cached (AUTH_CACHE_TTL_MS, or until a revoke).
   */
  async authenticate(accessKeyId: string): Promise<AuthenticatedAccessKey> {
    if (typeof accessKeyId !== 'string' || !ACCESS_KEY_ID_PATTERN.test(accessKeyId)) throw new AuthenticationError();
    const hit = this.authenticateCached(accessKeyId);
    if (hit) return hit;
    this.#cache.delete(accessKeyId);
    const { context } = this;
    const record = await guardIntegrity(context, 'AuthenticateAccessKey', () =>
      repo.accessKeys.get(context.store.db, accessKeyId),
    );
    if (!record || record.revokedAt) throw new AuthenticationError();
    // A root rotation may re-wrap the row while this entry is cached: the row is read again if need be.
    const unwrap = () =>
      unwrapCurrent(context.rootOfTrust, record.wrappedSecret, secretAad(record.id), async () => {
        const current = await repo.accessKeys.get(context.store.db, record.id);
        return current?.revokedAt ? undefined : current?.wrappedSecret;
      });
    // Unwrapped once now, so that a secret that does not unwrap (a row tampered with) fails the lookup itself.
    (await unwrap()).wipe();
    let lastTouched = record.lastUsedAt?.getTime();
    const found: AuthenticatedAccessKey = {
      caller: Object.freeze({
        principal: record.principal,
        roles: record.roles,
        ...(record.tags ? { tags: record.tags } : {}),
      }),
      secretAccessKey: unwrap,
      recordUse: () => {
        const now = context.now();
        if (lastTouched !== undefined && now.getTime() - lastTouched < TOUCH_INTERVAL_MS) return DONE;
        lastTouched = now.getTime();
        return this.#track(
          repo.accessKeys.touch(context.store.db, record.id, now).catch((err: unknown) => {
            context.logger.error({ err, accessKeyId }, 'recording access key use failed');
          }),
        );
      },
    };
    if (this.#cache.size >= MAX_CACHE_ENTRIES) this.#cache.clear();
    this.#cache.set(accessKeyId, { found, cachedUntil: Date.now() + AUTH_CACHE_TTL_MS });
    return found;
  }

  /**
   * `authenticate` without a promise when the access key's lookup is cached (the AWS protocol's hot path): the same
   * object `authenticate` answers, or undefined when the store must be asked (then call `authenticate`).
   */
  authenticateCached(accessKeyId: string): AuthenticatedAccessKey | undefined {
    const hit = this.#cache.get(accessKeyId);
    return hit && hit.cachedUntil > Date.now() ? hit.found : undefined;
  }

  /** Forgets an access key at once (after RevokeAccessKey in this process). */
  forget(accessKeyId: string): void {
    this.#cache.delete(accessKeyId);
  }

  /** Keeps a background write until it settles (drain waits for it), and answers it. */
  #track(write: Promise<void>): Promise<void> {
    const tracked = write.finally(() => this.#pending.delete(tracked));
    this.#pending.add(tracked);
    return tracked;
  }

  /** Stops listening for changes and waits for pending `lastUsedAt` writes (before the store closes). */
  async drain(): Promise<void> {
    this.#unsubscribe();
    await Promise.all([...this.#pending]);
  }
}
