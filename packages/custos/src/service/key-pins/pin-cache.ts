// Remembers successful PIN checks for a short time, so that a client using a PIN-protected key in a loop does not
// pay scrypt and two store writes per call. Memory only, per process. Must not import store, keystore or api.
import { createHmac, randomBytes } from 'node:crypto';
import type { KeyCache } from '../cache.js';

/**
 * How long a successful check is remembered. Why it is safe: an entry is found only with the same key, the same
 * principal and the same PIN (its name is an HMAC of the three under a random per-process key, so neither the PIN
 * nor a hash a guesser could search is held), so it spares nobody who does not know the PIN; a wrong PIN always
 * takes the full, counted path. What it costs: for up to this long after the key is blocked, or its PIN changed, on
 * another node, a caller who did know the PIN may go on using it on this one (a change on this node forgets the
 * key's entries at once). A wrong PIN forgets them too, so the next right PIN on this node resets the counter; a
 * remembered success does not touch the store, so it resets nothing.
 */
export const PIN_CACHE_TTL_MS = 15_000;
const MAX_ENTRIES = 10_000;

export class PinCache {
  readonly #secret = randomBytes(32);
  /** Entry name → the key it is for and when it expires; oldest first (a Map keeps insertion order). */
  readonly #entries = new Map<string, { readonly keyId: string; readonly expires: number }>();

  /** The entry name of (key, principal, PIN). */
  entry(keyId: string, principal: string, pin: string): string {
    return createHmac('sha256', this.#secret)
      .update(JSON.stringify([keyId, principal, pin]))
      .digest('base64url');
  }

  has(entry: string, now: number): boolean {
    const hit = this.#entries.get(entry);
    if (hit === undefined) return false;
    if (hit.expires > now) return true;
    this.#entries.delete(entry);
    return false;
  }

  remember(entry: string, keyId: string, now: number): void {
    this.#entries.delete(entry);
    this.#entries.set(entry, { keyId, expires: now + PIN_CACHE_TTL_MS });
    if (this.#entries.size > MAX_ENTRIES) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
  }

  /** Forgets every entry of the key (its PIN changed, or it was unblocked). */
  forgetKey(keyId: string): void {
    for (const [entry, value] of this.#entries) if (value.keyId === keyId) this.#entries.delete(entry);
  }
}

/** One PinCache per service (its key cache stands for it: one per KeyService), made on first use. */
const CACHES = new WeakMap<KeyCache, PinCache>();

export function pinCacheOf(keyCache: KeyCache): PinCache {
  let cache = CACHES.get(keyCache);
  if (cache === undefined) CACHES.set(keyCache, (cache = new PinCache()));
  return cache;
}
