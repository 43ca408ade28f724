// Bearer-token authentication: a token → the Caller it stands for. Lookups go by the token's keyed hash and are
// cached (by its SHA-256) for a few seconds; a revoke drops cache entries at once, on this node and (through the store's change
// notifications) on every other node. Must not import api.
import { AuthenticationError, type Caller } from '@custos/contract';
import { CREDENTIALS_CHANGED } from '../store/index.js';
import * as repo from '../store/repositories/index.js';
import type { ServiceContext } from './context.js';
import { guardIntegrity } from './integrity/failure.js';
import { TokenHasher } from './integrity/keys.js';
import { TOKEN_PATTERN } from './operations/create-token.js';

interface CacheEntry {
  readonly tokenId: string;
  /** Shared by every request with this token: never modified. */
  readonly caller: Readonly<Caller>;
  readonly expiresAt: Date | null;
  readonly cachedUntil: number;
}

/** How long a successful lookup is trusted without asking the store (another node's revoke waits this long). */
export const AUTH_CACHE_TTL_MS = 5_000;
/** `lastUsedAt` is written at most this often per token, to keep authentication off the write path. */
const TOUCH_INTERVAL_MS = 60_000;
const MAX_CACHE_ENTRIES = 10_000;

export class TokenAuthenticator {
  readonly #cache = new Map<string, CacheEntry>();
  readonly #touched = new Map<string, number>();
  readonly #pending = new Set<Promise<void>>();

  readonly #unsubscribe: () => void;

  constructor(private readonly context: ServiceContext) {
    // Token operations announce CREDENTIALS_CHANGED; a reconnect of the listener, null: forget every token.
    this.#unsubscribe = context.store.onKeyChange((keyId) => {
      if (keyId === null || keyId === CREDENTIALS_CHANGED) this.#cache.clear();
    });
  }

  /**
   * The caller a token stands for; UNAUTHENTICATED (one message) when it is malformed, unknown, revoked or expired.
   * @example const caller = await authenticator.authenticate('cst_…');
   */
  async authenticate(token: string): Promise<Caller> {
    const hit = this.authenticateCached(token);
    if (hit) return hit;
    const hash = TokenHasher.digest(token);
    this.#cache.delete(hash);
    const stored = this.context.tokenHasher.stored(hash);
    const record = await guardIntegrity(this.context, 'Authenticate', () =>
      repo.tokens.getByHash(this.context.store.db, stored),
    );
    if (!record || record.revokedAt) throw new AuthenticationError();
    const entry: CacheEntry = {
      tokenId: record.id,
      caller: Object.freeze({
        principal: record.principal,
        roles: record.roles,
        ...(record.tags ? { tags: record.tags } : {}),
      }),
      expiresAt: record.expiresAt,
      cachedUntil: Date.now() + AUTH_CACHE_TTL_MS,
    };
    if (this.#cache.size >= MAX_CACHE_ENTRIES) this.#cache.clear();
    this.#cache.set(hash, entry);
    return this.#admit(entry);
  }

  /**
   * As `authenticate`, from the cache alone and without a promise (the request hot path): the caller, or undefined
   * when the store must be asked. Throws UNAUTHENTICATED as `authenticate` does.
   */
  authenticateCached(token: string): Caller | undefined {
    if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) throw new AuthenticationError();
    const entry = this.#cache.get(TokenHasher.digest(token));
    return entry && entry.cachedUntil > Date.now() ? this.#admit(entry) : undefined;
  }

  #admit(entry: CacheEntry): Caller {
    const now = this.context.now();
    if (entry.expiresAt && entry.expiresAt <= now) throw new AuthenticationError();
    this.#touch(entry.tokenId, now);
    return entry.caller;
  }

  /** Forgets a token at once (after RevokeToken in this process). */
  forget(tokenId: string): void {
    for (const [hash, entry] of this.#cache) if (entry.tokenId === tokenId) this.#cache.delete(hash);
  }

  #touch(tokenId: string, now: Date): void {
    const last = this.#touched.get(tokenId);
    if (last !== undefined && now.getTime() - last < TOUCH_INTERVAL_MS) return;
    if (this.#touched.size >= MAX_CACHE_ENTRIES) this.#touched.clear();
    this.#touched.set(tokenId, now.getTime());
    const write = repo.tokens
      .touch(this.context.store.db, tokenId, now)
      .catch((err: unknown) => {
        this.context.logger.error({ err, tokenId }, 'recording token use failed');
      })
      .finally(() => this.#pending.delete(write));
    this.#pending.add(write);
  }

  /** Stops listening for changes and waits for pending `lastUsedAt` writes (before the store closes). */
  async drain(): Promise<void> {
    this.#unsubscribe();
    await Promise.all([...this.#pending]);
  }
}
