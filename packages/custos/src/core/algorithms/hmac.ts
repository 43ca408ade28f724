// HMAC generation and constant-time verification (CRYPTO-PITFALLS 9). Pure; no I/O.
// Must not import store, keystore, service or api.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { MacAlgorithm } from '@custos/contract';
import { HASH_OF } from './digests.js';
import { exposeSecret, type SecretBytes } from '../secret-bytes.js';

/** HMAC (RFC 2104, FIPS 198-1) with the algorithm's digest; the MAC is always full length. @example hmacGenerate('HMAC_SHA_256', key, msg) */
export function hmacGenerate(algorithm: MacAlgorithm, key: SecretBytes, message: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac(HASH_OF[algorithm], exposeSecret(key)).update(message).digest());
}

/**
 * True only when `mac` has the full digest length and matches (timingSafeEqual). Truncated MACs
 * (RFC 2104 §5) are refused: AWS KMS VerifyMac takes full-length MACs only.
 * @example if (!hmacVerify('HMAC_SHA_256', key, msg, mac)) throw new VerificationFailedError('INVALID_MAC');
 */
export function hmacVerify(algorithm: MacAlgorithm, key: SecretBytes, message: Uint8Array, mac: Uint8Array): boolean {
  const expected = hmacGenerate(algorithm, key, message);
  // timingSafeEqual throws on unequal lengths; the length of a MAC is not secret.
  return mac.length === expected.length && timingSafeEqual(expected, mac);
}
