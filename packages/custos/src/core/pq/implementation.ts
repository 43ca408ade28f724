// The shape of a post-quantum implementation (node:crypto on Node ≥ 24.7, @noble/post-quantum elsewhere) and the
// choice between them, made once at start-up. Both take and give the same seeds and raw keys, so stored keys do
// not depend on the runtime. Pure (no I/O but the probe); must not import store, service or api.
import { nativePq, nativePqAvailable } from './native.js';
import { noblePq } from './noble.js';
import type { PqParameters } from './parameters.js';

/** A private key expanded from its seed once (the key cache keeps it): node's KeyObject or noble's secret key. */
export interface PqPrivateHandle {
  readonly parameters: PqParameters;
}

/** What sign takes besides the message: FIPS 204 context (empty for Custos) and hedged (default) or deterministic. */
interface PqSignOptions {
  readonly context?: Uint8Array;
  readonly deterministic?: boolean;
}

/** One implementation of ML-DSA (pure, FIPS 204 Algorithms 2-3) and ML-KEM (FIPS 203 Algorithms 19-21). */
export interface PqImplementation {
  readonly name: 'node:crypto' | '@noble/post-quantum';
  /** The raw public key of a seed. */
  publicKey(parameters: PqParameters, seed: Uint8Array): Uint8Array;
  prepare(parameters: PqParameters, seed: Uint8Array): PqPrivateHandle;
  sign(handle: PqPrivateHandle, message: Uint8Array, options?: PqSignOptions): Uint8Array;
  /** False for any wrong or malformed signature; never throws for one. */
  verify(
    parameters: PqParameters,
    publicKey: Uint8Array,
    message: Uint8Array,
    signature: Uint8Array,
    context?: Uint8Array,
  ): boolean;
  /** Throws (ValidationError INVALID_PUBLIC_KEY) for an encapsulation key that fails FIPS 203 §7.2's checks. */
  encapsulate(parameters: PqParameters, publicKey: Uint8Array): { sharedSecret: Uint8Array; ciphertext: Uint8Array };
  /** The ciphertext has the parameter set's length (checked by the caller); implicit rejection otherwise. */
  decapsulate(handle: PqPrivateHandle, ciphertext: Uint8Array): Uint8Array;
}

/** Every implementation this runtime has, the preferred first (for the Wycheproof runners and the benchmark). */
export const PQ_IMPLEMENTATIONS: readonly PqImplementation[] = nativePqAvailable() ? [nativePq, noblePq] : [noblePq];

/**
 * The implementation Custos uses: node:crypto where it has ML-DSA and ML-KEM (Node ≥ 24.7: OpenSSL's code, about
 * 10× faster), else noble. The server logs which at start-up.
 */
export const PQ: PqImplementation = PQ_IMPLEMENTATIONS[0] ?? noblePq;
