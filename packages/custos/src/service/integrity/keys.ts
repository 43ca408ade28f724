// The root-derived keys that make storage untrusted: the row key goes to the store (RowIntegrity), the token key
// stays here to turn a token into the keyed hash it is stored under. Must not import api.
import { createHmac, createSecretKey, hash, type KeyObject } from 'node:crypto';
import { exposeSecret } from '../../core/secret-bytes.js';
import type { RootOfTrust } from '../../keystore/root-of-trust.js';
import type { Store } from '../../store/index.js';

/** Turns API tokens into what the store keeps: HMAC-SHA-256(token key, SHA-256 hex of the token), hex. */
export class TokenHasher {
  readonly #key: KeyObject;

  constructor(key: KeyObject) {
    this.#key = key;
  }

  /** The SHA-256 hex of a token (the in-memory cache's key; also what releases before 005 stored). */
  static digest(token: string): string {
    return hash('sha256', token, 'hex'); // one-shot: no Hash object per request
  }

  /** The stored form of a token's SHA-256 hex: without the root of trust, a token row cannot be forged. */
  stored(digest: string): string {
    return createHmac('sha256', this.#key).update(digest).digest('hex');
  }
}

/**
 * Derives the row key (installed into the store) and the token key from the root of trust; the derived bytes are
 * wiped once copied into key objects.
 */
export async function loadIntegrityKeys(rootOfTrust: RootOfTrust, store: Store): Promise<TokenHasher> {
  const rowKey = await rootOfTrust.deriveKey('row-integrity');
  const tokenKey = await rootOfTrust.deriveKey('token-hash');
  try {
    store.integrity.setKey(exposeSecret(rowKey));
    return new TokenHasher(createSecretKey(exposeSecret(tokenKey)));
  } finally {
    rowKey.wipe();
    tokenKey.wipe();
  }
}
