// The ML-DSA (FIPS 204 §4, Table 1-2) and ML-KEM (FIPS 203 §8, Table 2-3) parameter sets Custos serves: sizes, OIDs,
// JOSE and node:crypto names. Data only; must not import store, service or api.

export interface PqParameters {
  /** FIPS name, also the JOSE `alg` of an AKP key (draft-ietf-cose-dilithium, draft-ietf-jose-pqc-kem) and node's type. */
  readonly name: 'ML-DSA-44' | 'ML-DSA-65' | 'ML-DSA-87' | 'ML-KEM-512' | 'ML-KEM-768' | 'ML-KEM-1024';
  readonly scheme: 'ml-dsa' | 'ml-kem';
  readonly oid: string;
  /** What Custos stores: ξ (32 bytes) for ML-DSA, d‖z (64 bytes) for ML-KEM. */
  readonly seedBytes: number;
  readonly publicKeyBytes: number;
  /** ML-DSA: the signature; ML-KEM: the ciphertext. */
  readonly outputBytes: number;
}

const dsa = (name: PqParameters['name'], arc: number, publicKeyBytes: number, outputBytes: number): PqParameters => ({
  name,
  scheme: 'ml-dsa',
  oid: `2.16.840.1.101.3.4.3.${String(arc)}`,
  seedBytes: 32,
  publicKeyBytes,
  outputBytes,
});
const kem = (name: PqParameters['name'], arc: number, publicKeyBytes: number, outputBytes: number): PqParameters => ({
  name,
  scheme: 'ml-kem',
  oid: `2.16.840.1.101.3.4.4.${String(arc)}`,
  seedBytes: 64,
  publicKeyBytes,
  outputBytes,
});

export const ML_DSA_44_PARAMETERS = dsa('ML-DSA-44', 17, 1312, 2420);
export const ML_DSA_65_PARAMETERS = dsa('ML-DSA-65', 18, 1952, 3309);
export const ML_DSA_87_PARAMETERS = dsa('ML-DSA-87', 19, 2592, 4627);
export const ML_KEM_512_PARAMETERS = kem('ML-KEM-512', 1, 800, 768);
export const ML_KEM_768_PARAMETERS = kem('ML-KEM-768', 2, 1184, 1088);
export const ML_KEM_1024_PARAMETERS = kem('ML-KEM-1024', 3, 1568, 1568);

/** ML-DSA's μ (FIPS 204 Algorithm 7, line 6) is 64 bytes; an EXTERNAL_MU message must be exactly that. */
export const MU_BYTES = 64;
/** ML-KEM's shared secret is 32 bytes at every level (FIPS 203 §7). */
export const SHARED_SECRET_BYTES = 32;
