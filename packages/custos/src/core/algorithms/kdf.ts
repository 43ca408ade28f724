// Key derivation: HKDF (RFC 5869) and PBKDF2 (RFC 8018) on node:crypto. Pure; no I/O.
import type { DerivationAlgorithm } from '@custos/contract';
import type { SecretBytes } from '../secret-bytes.js';

export interface DeriveParams {
  readonly salt: Uint8Array;
  /** HKDF only. */
  readonly info?: Uint8Array;
  /** PBKDF2 only; at least 1000 (ValidationError below that). */
  readonly iterations?: number;
  /** Output length in bytes; ValidationError when out of range for the algorithm. */
  readonly length: number;
}

export function deriveKey(algorithm: DerivationAlgorithm, input: SecretBytes, params: DeriveParams): SecretBytes {
  throw new Error('not implemented');
}
