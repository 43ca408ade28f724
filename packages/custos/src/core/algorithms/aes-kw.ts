// AES Key Wrap (RFC 3394) and Key Wrap with Padding (RFC 5649) on node:crypto, with the length
// checks OpenSSL omits (CRYPTO-PITFALLS 3). Pure; no I/O.
import type { SecretBytes } from '../secret-bytes.js';

export function aesKeyWrap(kek: SecretBytes, key: SecretBytes): Uint8Array {
  throw new Error('not implemented');
}
/** Throws ValidationError('INVALID_KEY_MATERIAL') on bad length or integrity failure. */
export function aesKeyUnwrap(kek: SecretBytes, wrapped: Uint8Array): SecretBytes {
  throw new Error('not implemented');
}
export function aesKeyWrapPad(kek: SecretBytes, key: SecretBytes): Uint8Array {
  throw new Error('not implemented');
}
/** Throws ValidationError('INVALID_KEY_MATERIAL') on bad length or integrity failure. */
export function aesKeyUnwrapPad(kek: SecretBytes, wrapped: Uint8Array): SecretBytes {
  throw new Error('not implemented');
}
