// The usages each key spec allows, and the algorithms each spec supports for a usage, as the server's key-spec table
// (packages/custos/src/core/key-specs.ts) gives them: the Create key form offers, for a chosen usage, only the specs
// that allow it, and for the allowed-algorithms constraint only the algorithms of that spec and usage. A test
// (packages/console/test/key-spec-choices.test.ts) fails when the two differ.
import type { Algorithm, KeySpec, KeyUsage } from '@custos/client';

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

const KDF: readonly Algorithm[] = ['HKDF_SHA_256', 'HKDF_SHA_384', 'HKDF_SHA_512', 'PBKDF2_SHA_256', 'PBKDF2_SHA_512'];
const RSA_SIGNING: readonly Algorithm[] = [
  'RSASSA_PSS_SHA_256',
  'RSASSA_PSS_SHA_384',
  'RSASSA_PSS_SHA_512',
  'RSASSA_PKCS1_V1_5_SHA_256',
  'RSASSA_PKCS1_V1_5_SHA_384',
  'RSASSA_PKCS1_V1_5_SHA_512',
];
type Lists = Partial<Record<KeyUsage, readonly Algorithm[]>>;
const AES: Lists = { ENCRYPT_DECRYPT: ['SYMMETRIC_DEFAULT'], DERIVE_KEY: KDF };
const hmac = (mac: Algorithm): Lists => ({ GENERATE_VERIFY_MAC: [mac], DERIVE_KEY: KDF });
const RSA: Lists = { ENCRYPT_DECRYPT: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'], SIGN_VERIFY: RSA_SIGNING };
const nist = (signing: Algorithm): Lists => ({ SIGN_VERIFY: [signing], KEY_AGREEMENT: ['ECDH'] });
const ML_DSA: Lists = { SIGN_VERIFY: ['ML_DSA_SHAKE_256'] };
const ML_KEM: Lists = { ENCAPSULATE_DECAPSULATE: ['ML_KEM'] };

/** Spec → usage → the algorithms a key of that spec and usage supports (the allowed-algorithms constraint's choices). */
export const SPEC_ALGORITHMS: Readonly<Record<string, Lists>> = {
  SYMMETRIC_DEFAULT: AES,
  AES_128: AES,
  AES_192: AES,
  AES_256: AES,
  HMAC_224: hmac('HMAC_SHA_224'),
  HMAC_256: hmac('HMAC_SHA_256'),
  HMAC_384: hmac('HMAC_SHA_384'),
  HMAC_512: hmac('HMAC_SHA_512'),
  RSA_2048: RSA,
  RSA_3072: RSA,
  RSA_4096: RSA,
  ECC_NIST_P256: nist('ECDSA_SHA_256'),
  ECC_NIST_P384: nist('ECDSA_SHA_384'),
  ECC_NIST_P521: nist('ECDSA_SHA_512'),
  ECC_SECG_P256K1: { SIGN_VERIFY: ['ECDSA_SHA_256'] },
  ECC_NIST_EDWARDS25519: { SIGN_VERIFY: ['ED25519_SHA_512'] },
  X25519: { KEY_AGREEMENT: ['ECDH'] },
  ML_DSA_44: ML_DSA,
  ML_DSA_65: ML_DSA,
  ML_DSA_87: ML_DSA,
  ML_KEM_512: ML_KEM,
  ML_KEM_768: ML_KEM,
  ML_KEM_1024: ML_KEM,
};

/** The algorithms a `spec` key of `usage` supports: what its allowed-algorithms constraint may name. */
export function algorithmsFor(spec: KeySpec, usage: KeyUsage): readonly Algorithm[] {
  return SPEC_ALGORITHMS[spec]?.[usage] ?? [];
}
