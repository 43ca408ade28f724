// Key derivation: HKDF (RFC 5869) and PBKDF2 (RFC 8018) on node:crypto. Pure; no I/O.
// Must not import store, keystore, service or api.
import { hkdfSync, pbkdf2Sync } from 'node:crypto';
import { ValidationError, type DerivationAlgorithm } from '@custos/contract';
import { DIGEST_BYTES, HASH_OF } from './digests.js';
import { exposeSecret, SecretBytes } from '../secret-bytes.js';

export interface DeriveParams {
  readonly salt: Uint8Array;
  /** HKDF only. */
  readonly info?: Uint8Array;
  /** PBKDF2 only; at least 1000 (ValidationError below that). */
  readonly iterations?: number;
  /** Output length in bytes; ValidationError when out of range for the algorithm. */
  readonly length: number;
}

/** RFC 8018 §4.2 recommends at least 1000 iterations; the upper bound keeps one call from stalling the server. */
const PBKDF2_MIN_ITERATIONS = 1000;
const PBKDF2_MAX_ITERATIONS = 10_000_000;
const PBKDF2_MAX_LENGTH = 1024;
/** NIST SP 800-132 §5.1: a salt of at least 128 bits. */
const PBKDF2_MIN_SALT_BYTES = 16;
/** HKDF info is capped by OpenSSL at 1024 bytes; we check it so the error is a ValidationError. */
const HKDF_MAX_INFO_BYTES = 1024;

function invalid(message: string): never {
  throw new ValidationError(message, 'VALIDATION_ERROR');
}

function checkInteger(name: string, value: number | undefined, min: number, max: number): number {
  if (value === undefined || !Number.isSafeInteger(value) || value < min || value > max) {
    invalid(`${name} must be an integer from ${min} to ${max}`);
  }
  return value;
}

/**
 * Derives `length` bytes from `input`. HKDF: length 1..255·HashLen (RFC 5869 §2.3). PBKDF2: length
 * 1..1024, iterations 1000..10^7, salt >= 16 bytes.
 * @example deriveKey('HKDF_SHA_256', key, { salt, info: utf8('custos'), length: 32 })
 */
export function deriveKey(algorithm: DerivationAlgorithm, input: SecretBytes, params: DeriveParams): SecretBytes {
  const hash = HASH_OF[algorithm];
  if (algorithm.startsWith('HKDF_')) {
    const length = checkInteger('length', params.length, 1, 255 * DIGEST_BYTES[hash]);
    if (params.iterations !== undefined) invalid('iterations apply to PBKDF2 only');
    const info = params.info ?? new Uint8Array(0);
    if (info.length > HKDF_MAX_INFO_BYTES) invalid(`info must be at most ${HKDF_MAX_INFO_BYTES} bytes`);
    return SecretBytes.adopt(new Uint8Array(hkdfSync(hash, exposeSecret(input), params.salt, info, length)));
  }
  const length = checkInteger('length', params.length, 1, PBKDF2_MAX_LENGTH);
  const iterations = checkInteger('iterations', params.iterations, PBKDF2_MIN_ITERATIONS, PBKDF2_MAX_ITERATIONS);
  if (params.info !== undefined) invalid('info applies to HKDF only');
  if (params.salt.length < PBKDF2_MIN_SALT_BYTES) invalid(`salt must be at least ${PBKDF2_MIN_SALT_BYTES} bytes`);
  const out = pbkdf2Sync(exposeSecret(input), params.salt, iterations, length, hash);
  const key = SecretBytes.from(out); // own copy: a Buffer may be a slice of Node's shared pool
  out.fill(0);
  return key;
}
