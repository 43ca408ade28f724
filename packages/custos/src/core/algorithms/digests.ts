// The digest behind each hash-parameterised algorithm name, and each digest's output length (FIPS 180-4).
// Pure data; must not import store, service or api.
import type { DerivationAlgorithm, EncryptionAlgorithm, MacAlgorithm, SigningAlgorithm } from '@custos/contract';

export type HashName = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

/** Output length of each digest, in bytes (FIPS 180-4). */
export const DIGEST_BYTES: Readonly<Record<HashName, number>> = {
  sha1: 20,
  sha224: 28,
  sha256: 32,
  sha384: 48,
  sha512: 64,
};

/** The signing algorithms named after a FIPS 180-4 digest: all but ML-DSA, which hashes inside (SHAKE256, FIPS 204). */
export type HashedSigningAlgorithm = Exclude<SigningAlgorithm, 'ML_DSA_SHAKE_256'>;

/** True for every signing algorithm but ML_DSA_SHAKE_256. */
export const isHashedSigning = (algorithm: SigningAlgorithm): algorithm is HashedSigningAlgorithm =>
  algorithm !== 'ML_DSA_SHAKE_256';

/** The digest behind each hash-parameterised algorithm name. */
export const HASH_OF = {
  RSAES_OAEP_SHA_1: 'sha1',
  RSAES_OAEP_SHA_256: 'sha256',
  RSASSA_PSS_SHA_256: 'sha256',
  RSASSA_PSS_SHA_384: 'sha384',
  RSASSA_PSS_SHA_512: 'sha512',
  RSASSA_PKCS1_V1_5_SHA_256: 'sha256',
  RSASSA_PKCS1_V1_5_SHA_384: 'sha384',
  RSASSA_PKCS1_V1_5_SHA_512: 'sha512',
  ECDSA_SHA_256: 'sha256',
  ECDSA_SHA_384: 'sha384',
  ECDSA_SHA_512: 'sha512',
  ED25519_SHA_512: 'sha512',
  HMAC_SHA_224: 'sha224',
  HMAC_SHA_256: 'sha256',
  HMAC_SHA_384: 'sha384',
  HMAC_SHA_512: 'sha512',
  HKDF_SHA_256: 'sha256',
  HKDF_SHA_384: 'sha384',
  HKDF_SHA_512: 'sha512',
  PBKDF2_SHA_256: 'sha256',
  PBKDF2_SHA_512: 'sha512',
} as const satisfies Record<
  Exclude<EncryptionAlgorithm, 'SYMMETRIC_DEFAULT'> | HashedSigningAlgorithm | MacAlgorithm | DerivationAlgorithm,
  HashName
>;
