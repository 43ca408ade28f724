// The usages each key spec allows, as the server's key-spec table (packages/custos/src/core/key-specs.ts) gives them:
// the Create key form offers, for a chosen usage, only the specs that allow it. A test
// (packages/console/test/key-spec-choices.test.ts) fails when the two differ.
import type { KeySpec, KeyUsage } from '@custos/client';

export const SPEC_USAGES: Readonly<Record<string, readonly KeyUsage[]>> = {
  SYMMETRIC_DEFAULT: ['ENCRYPT_DECRYPT', 'DERIVE_KEY'],
  AES_128: ['ENCRYPT_DECRYPT', 'DERIVE_KEY'],
  AES_192: ['ENCRYPT_DECRYPT', 'DERIVE_KEY'],
  AES_256: ['ENCRYPT_DECRYPT', 'DERIVE_KEY'],
  HMAC_224: ['GENERATE_VERIFY_MAC', 'DERIVE_KEY'],
  HMAC_256: ['GENERATE_VERIFY_MAC', 'DERIVE_KEY'],
  HMAC_384: ['GENERATE_VERIFY_MAC', 'DERIVE_KEY'],
  HMAC_512: ['GENERATE_VERIFY_MAC', 'DERIVE_KEY'],
  RSA_2048: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
  RSA_3072: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
  RSA_4096: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
  ECC_NIST_P256: ['SIGN_VERIFY', 'KEY_AGREEMENT'],
  ECC_NIST_P384: ['SIGN_VERIFY', 'KEY_AGREEMENT'],
  ECC_NIST_P521: ['SIGN_VERIFY', 'KEY_AGREEMENT'],
  ECC_SECG_P256K1: ['SIGN_VERIFY'],
  ECC_NIST_EDWARDS25519: ['SIGN_VERIFY'],
  X25519: ['KEY_AGREEMENT'],
  ML_DSA_44: ['SIGN_VERIFY'],
  ML_DSA_65: ['SIGN_VERIFY'],
  ML_DSA_87: ['SIGN_VERIFY'],
  ML_KEM_512: ['ENCAPSULATE_DECAPSULATE'],
  ML_KEM_768: ['ENCAPSULATE_DECAPSULATE'],
  ML_KEM_1024: ['ENCAPSULATE_DECAPSULATE'],
};

/** The usages any spec allows, in the table's order. */
export const USAGES: readonly KeyUsage[] = [...new Set(Object.values(SPEC_USAGES).flat())];

/** The specs that allow `usage`. */
export function specsFor(usage: KeyUsage): KeySpec[] {
  return Object.entries(SPEC_USAGES)
    .filter(([, usages]) => usages.includes(usage))
    .map(([spec]) => spec as KeySpec);
}
