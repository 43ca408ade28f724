// The ML-DSA (FIPS 204) and ML-KEM (FIPS 203) families: one descriptor per parameter set, the seed as material,
// JOSE kty "AKP" with the parameter set as `alg`. Pure; must not import store, service or api.
import { ValidationError, type Algorithm } from '@custos/contract';
import { decodeSeedPkcs8 } from '../pq/der.js';
import { encodeSpki } from '../pq/der.js';
import { PQ } from '../pq/implementation.js';
import * as P from '../pq/parameters.js';
import { exposeSecret, SecretBytes } from '../secret-bytes.js';
import type { GeneratedKey, PqKeyFamily } from './key-family.js';

/** The key of a seed (taken over: the caller must not wipe it) with its public key, SPKI DER. */
export function withPublicKey(parameters: P.PqParameters, seed: SecretBytes): GeneratedKey {
  return { material: seed, publicKey: encodeSpki(parameters, PQ.publicKey(parameters, exposeSecret(seed))) };
}

function pqFamily(pq: P.PqParameters, algorithm: Algorithm): PqKeyFamily {
  return {
    name: pq.scheme,
    material: 'seed',
    kty: 'AKP',
    pq,
    serves: [algorithm],
    joseAlg: (_spec, served) => (served === algorithm ? pq.name : undefined),
    // FIPS 204 §3.6.1 / FIPS 203 §7.1: key generation from a fresh random seed.
    generate: () => Promise.resolve(withPublicKey(pq, SecretBytes.random(pq.seedBytes))),
    // Imported material: the seed-only PKCS#8 form (what AWS, OpenSSL 3.5 and Node 24 export). Any seed is a key.
    checkImport(_spec, material) {
      const seed = decodeSeedPkcs8(pq, exposeSecret(material));
      if (!seed)
        throw new ValidationError(
          `imported key material is not valid for the key spec: expected ${pq.name} seed-only PKCS#8 DER`,
          'INVALID_KEY_MATERIAL',
        );
      const secret = SecretBytes.adopt(seed);
      return withPublicKey(pq, secret);
    },
  };
}

export const ML_DSA_44 = pqFamily(P.ML_DSA_44_PARAMETERS, 'ML_DSA_SHAKE_256');
export const ML_DSA_65 = pqFamily(P.ML_DSA_65_PARAMETERS, 'ML_DSA_SHAKE_256');
export const ML_DSA_87 = pqFamily(P.ML_DSA_87_PARAMETERS, 'ML_DSA_SHAKE_256');
export const ML_KEM_512 = pqFamily(P.ML_KEM_512_PARAMETERS, 'ML_KEM');
export const ML_KEM_768 = pqFamily(P.ML_KEM_768_PARAMETERS, 'ML_KEM');
export const ML_KEM_1024 = pqFamily(P.ML_KEM_1024_PARAMETERS, 'ML_KEM');
