// MOSIP 1.2 hybrid decryption around a session-key unwrapper: the RSA private key lives in the service (or an HSM),
// so this module parses the bytes, hands the thumbprint and the session-key ciphertext out, and decrypts the data
// part with the key it gets back. Pure; must not import store, keystore, service or api.
import type { SecretBytes } from '../secret-bytes.js';
import { openDataPart, type DataPartOptions } from './data-part.js';
import { parseMosipCiphertext } from './hybrid-layout.js';

/**
 * Unwraps the session key: `thumbprint` (null in the no-thumbprint forms) selects the private key, `encryptedKey` is
 * its RSA-OAEP (SHA-256/MGF1-SHA-256) ciphertext. Must throw INVALID_CIPHERTEXT (or a not-found code) on failure.
 */
export type SessionKeyUnwrapper = (thumbprint: Uint8Array | null, encryptedKey: Uint8Array) => Promise<SecretBytes>;

/**
 * Decrypts MOSIP bytes (already base64-decoded); the session key is wiped once used.
 * @example const plaintext = await mosipDecrypt(bytes, { aad }, async (tp, ek) => unwrapWithKeyFor(tp, ek));
 */
export async function mosipDecrypt(
  bytes: Uint8Array,
  options: DataPartOptions,
  unwrap: SessionKeyUnwrapper,
): Promise<Uint8Array> {
  const parts = parseMosipCiphertext(bytes);
  const sessionKey = await unwrap(parts.thumbprint, parts.encryptedKey);
  try {
    return openDataPart(sessionKey, parts.dataPart, { ...options, versioned: parts.versioned });
  } finally {
    sessionKey.wipe();
  }
}
