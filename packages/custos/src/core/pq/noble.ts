// ML-DSA and ML-KEM through @noble/post-quantum (final FIPS 203/204; not constant-time, see docs): the
// implementation on Node 20 and 22, and the only one with external μ. Pure; must not import store, service or api.
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { ml_kem512, ml_kem768, ml_kem1024 } from '@noble/post-quantum/ml-kem.js';
import { InternalError, ValidationError } from '@custos/contract';
import type { PqImplementation, PqPrivateHandle } from './implementation.js';
import type { PqParameters } from './parameters.js';

const DSA = { 'ML-DSA-44': ml_dsa44, 'ML-DSA-65': ml_dsa65, 'ML-DSA-87': ml_dsa87 } as const;
const KEM = { 'ML-KEM-512': ml_kem512, 'ML-KEM-768': ml_kem768, 'ML-KEM-1024': ml_kem1024 } as const;

function dsa(parameters: PqParameters) {
  const scheme = DSA[parameters.name as keyof typeof DSA] as (typeof DSA)[keyof typeof DSA] | undefined;
  if (!scheme) throw new InternalError(`${parameters.name} is not ML-DSA`);
  return scheme;
}
function kem(parameters: PqParameters) {
  const scheme = KEM[parameters.name as keyof typeof KEM] as (typeof KEM)[keyof typeof KEM] | undefined;
  if (!scheme) throw new InternalError(`${parameters.name} is not ML-KEM`);
  return scheme;
}

/** noble's expanded secret key (sk of FIPS 204 / dk of FIPS 203), derived once from the seed. */
export class NobleHandle implements PqPrivateHandle {
  constructor(
    readonly parameters: PqParameters,
    readonly secretKey: Uint8Array,
  ) {}
  toString(): string {
    return '[noble private key]';
  }
}

function keygen(parameters: PqParameters, seed: Uint8Array) {
  return parameters.scheme === 'ml-dsa' ? dsa(parameters).keygen(seed) : kem(parameters).keygen(seed);
}

/** noble's handle of a seed (for external μ on any runtime). */
export function nobleHandle(parameters: PqParameters, seed: Uint8Array): NobleHandle {
  return new NobleHandle(parameters, keygen(parameters, seed).secretKey);
}

function secretKeyOf(handle: PqPrivateHandle): Uint8Array {
  if (!(handle instanceof NobleHandle)) throw new InternalError('not a noble private key');
  return handle.secretKey;
}

/**
 * Signs μ itself (FIPS 204 Algorithm 7 from line 7; AWS MessageType EXTERNAL_MU): node:crypto has no such entry.
 * Hedged: noble draws rnd (FIPS 204 §3.4) unless deterministic.
 */
export function nobleSignMu(handle: NobleHandle, mu: Uint8Array, deterministic = false): Uint8Array {
  return dsa(handle.parameters).internal.sign(mu, handle.secretKey, {
    externalMu: true,
    ...(deterministic ? { extraEntropy: false } : {}),
  });
}

/** Verifies a signature over μ (FIPS 204 Algorithm 8 from line 7). */
export function nobleVerifyMu(
  parameters: PqParameters,
  publicKey: Uint8Array,
  mu: Uint8Array,
  signature: Uint8Array,
): boolean {
  try {
    return dsa(parameters).internal.verify(signature, mu, publicKey, { externalMu: true });
  } catch {
    return false;
  }
}

export const noblePq: PqImplementation = {
  name: '@noble/post-quantum',
  publicKey: (parameters, seed) => keygen(parameters, seed).publicKey,
  prepare: nobleHandle,
  sign: (handle, message, options = {}) =>
    dsa(handle.parameters).sign(message, secretKeyOf(handle), {
      ...(options.context ? { context: options.context } : {}),
      ...(options.deterministic === true ? { extraEntropy: false } : {}),
    }),
  verify(parameters, publicKey, message, signature, context) {
    try {
      return dsa(parameters).verify(signature, message, publicKey, context ? { context } : {});
    } catch {
      return false;
    }
  },
  encapsulate(parameters, publicKey) {
    let result: { cipherText: Uint8Array; sharedSecret: Uint8Array };
    try {
      result = kem(parameters).encapsulate(publicKey);
    } catch {
      throw new ValidationError(`not a valid ${parameters.name} encapsulation key`, 'INVALID_PUBLIC_KEY');
    }
    return { sharedSecret: result.sharedSecret, ciphertext: result.cipherText };
  },
  decapsulate: (handle, ciphertext) => kem(handle.parameters).decapsulate(ciphertext, secretKeyOf(handle)),
};
