// AES-GCM with 96-bit random IVs and 128-bit tags (CRYPTO-PITFALLS 1, 2). Pure; no I/O.
import type { SecretBytes } from '../secret-bytes.js';

export interface GcmSealed {
  readonly iv: Uint8Array; // 12 bytes, random
  readonly ciphertext: Uint8Array;
  readonly tag: Uint8Array; // 16 bytes
}

/** Encrypts with a fresh random 12-byte IV. Key must be 16, 24 or 32 bytes. No API takes a caller's IV. */
export function aesGcmEncrypt(key: SecretBytes, plaintext: Uint8Array, aad: Uint8Array): GcmSealed {
  throw new Error('not implemented');
}

/**
 * Decrypts; throws InvalidCiphertextError on any failure (wrong IV/tag length, bad tag, wrong key or AAD).
 * Plaintext is released only after the tag has been checked.
 */
export function aesGcmDecrypt(key: SecretBytes, sealed: GcmSealed, aad: Uint8Array): Uint8Array {
  throw new Error('not implemented');
}
