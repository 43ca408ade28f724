// HMAC generation and constant-time verification (CRYPTO-PITFALLS 9). Pure; no I/O.
import type { MacAlgorithm } from '@custos/contract';
import type { SecretBytes } from '../secret-bytes.js';

export function hmacGenerate(algorithm: MacAlgorithm, key: SecretBytes, message: Uint8Array): Uint8Array {
  throw new Error('not implemented');
}
/** True only when `mac` has the full digest length and matches (timingSafeEqual). */
export function hmacVerify(algorithm: MacAlgorithm, key: SecretBytes, message: Uint8Array, mac: Uint8Array): boolean {
  throw new Error('not implemented');
}
