// Remembers successful PIN checks for a short time, so that a client using a PIN-protected key in a loop does not
// pay scrypt and two store writes per call. Memory only, per process. Must not import store, keystore or api.
import { createHmac, randomBytes } from 'node:crypto';
import type { KeyCache } from '../cache.js';

/**
 * How long a successful check is remembered. Why it is safe: an entry is found only with the same key, principal,
 * PIN and stored PIN hash (its name is an HMAC of the four under a random per-process key, so neither the PIN nor a
 * hash a guesser could search is held in memory), so it spares nobody who does not know the PIN, and a PIN changed
 * on any node misses at once; the caller still reads the PIN row on every use (check-key-pin.ts), so a key blocked
 * on another node is blocked here too, and a remembered success resets the counter like any other. It saves scrypt
 * only (tens of milliseconds and 32 MiB per check).
 */
const PIN_CACHE_TTL_MS = 15_000;
const MAX_ENTRIES = 10_000;

export class PinCache {
  readonly #secret = randomBytes(32);
  /** Entry name → when it expires; oldest first (a Map keeps insertion order). */
  readonly #entries = new Map<string, number>();

  /** The entry name of (key, principal, PIN, stored PIN hash). */
  entry(keyId: string, principal: string, pin: string, pinHash: string): string {
    return createHmac('sha256', this.#secret)
      .update(JSON.stringify([keyId, principal, pin, pinHash]))
      .digest('base64url');
  }

  has(entry: string, now: number): boolean {
    const expires = this.#entries.get(entry);
    if (expires === undefined) return false;
    if (expires > now) return true;
    this.#entries.delete(entry);
    return false;
  }

  remember(entry: string, now: number): void {
    this.#entries.delete(entry);
    this.#entries.set(entry, now + PIN_CACHE_TTL_MS);
    if (this.#entries.size > MAX_ENTRIES) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
  }
}

/** One PinCache per service (its key cache stands for it: one per KeyService), made on first use. */
const CACHES = new WeakMap<KeyCache, PinCache>();

export function pinCacheOf(keyCache: KeyCache): PinCache {
  let cache = CACHES.get(keyCache);
  if (cache === undefined) CACHES.set(keyCache, (cache = new PinCache()));
  return cache;
}
