// THE table of key specs: everything the implementation needs to know about one spec, in one place.
// Pure data and lookups; must not import store, service or api. Names come from @custos/contract.
import {
  KEY_SPECS,
  UnsupportedError,
  type DerivationAlgorithm,
  type EncryptionAlgorithm,
  type KeyAgreementAlgorithm,
  type KeySpec,
  type KeyUsage,
  type MacAlgorithm,
  type SigningAlgorithm,
} from '@custos/contract';

export type Family = 'aes' | 'hmac' | 'rsa' | 'ec' | 'okp';
export type Curve = 'P-256' | 'P-384' | 'P-521' | 'secp256k1' | 'Ed25519' | 'X25519';
export type HashName = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

/** Output length of each digest, in bytes (FIPS 180-4). */
export const DIGEST_BYTES: Readonly<Record<HashName, number>> = {
  sha1: 20,
  sha224: 28,
  sha256: 32,
  sha384: 48,
  sha512: 64,
};

export interface KeySpecEntry {
  readonly name: KeySpec;
  readonly family: Family;
  /** AES and HMAC: the length of the raw key in bytes. */
  readonly keyBytes?: number;
  /** RSA: modulus length in bits. */
  readonly modulusBits?: number;
  /** EC and OKP: the curve (node:crypto's namedCurve or OKP type). */
  readonly curve?: Curve;
  readonly usages: readonly KeyUsage[];
  readonly encryption: readonly EncryptionAlgorithm[];
  readonly signing: readonly SigningAlgorithm[];
  readonly mac: readonly MacAlgorithm[];
  readonly agreement: readonly KeyAgreementAlgorithm[];
  readonly derivation: readonly DerivationAlgorithm[];
}

const none = [] as const;
const ALL_KDF: readonly DerivationAlgorithm[] = [
  'HKDF_SHA_256',
  'HKDF_SHA_384',
  'HKDF_SHA_512',
  'PBKDF2_SHA_256',
  'PBKDF2_SHA_512',
];
const RSA_SIGNING: readonly SigningAlgorithm[] = [
  'RSASSA_PSS_SHA_256',
  'RSASSA_PSS_SHA_384',
  'RSASSA_PSS_SHA_512',
  'RSASSA_PKCS1_V1_5_SHA_256',
  'RSASSA_PKCS1_V1_5_SHA_384',
  'RSASSA_PKCS1_V1_5_SHA_512',
];

const aes = (name: KeySpec, keyBytes: number): KeySpecEntry => ({
  name,
  family: 'aes',
  keyBytes,
  usages: ['ENCRYPT_DECRYPT', 'DERIVE_KEY'],
  encryption: ['SYMMETRIC_DEFAULT'],
  signing: none,
  mac: none,
  agreement: none,
  derivation: ALL_KDF,
});
const hmac = (name: KeySpec, keyBytes: number, alg: MacAlgorithm): KeySpecEntry => ({
  name,
  family: 'hmac',
  keyBytes,
  usages: ['GENERATE_VERIFY_MAC', 'DERIVE_KEY'],
  encryption: none,
  signing: none,
  mac: [alg],
  agreement: none,
  derivation: ALL_KDF,
});
const rsa = (name: KeySpec, modulusBits: number): KeySpecEntry => ({
  name,
  family: 'rsa',
  modulusBits,
  usages: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
  encryption: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'],
  signing: RSA_SIGNING,
  mac: none,
  agreement: none,
  derivation: none,
});
const nist = (name: KeySpec, curve: Curve, signing: readonly SigningAlgorithm[]): KeySpecEntry => ({
  name,
  family: 'ec',
  curve,
  usages: ['SIGN_VERIFY', 'KEY_AGREEMENT'],
  encryption: none,
  signing,
  mac: none,
  agreement: ['ECDH'],
  derivation: none,
});

/** Every key spec Custos supports (DESIGN.md, "Key specs"). */
export const KEY_SPEC_TABLE = {
  // SYMMETRIC_DEFAULT is AES-256-GCM, as in AWS KMS.
  SYMMETRIC_DEFAULT: aes('SYMMETRIC_DEFAULT', 32),
  AES_128: aes('AES_128', 16),
  AES_192: aes('AES_192', 24),
  AES_256: aes('AES_256', 32),
  // HMAC key lengths follow AWS KMS: the digest's output length.
  HMAC_224: hmac('HMAC_224', 28, 'HMAC_SHA_224'),
  HMAC_256: hmac('HMAC_256', 32, 'HMAC_SHA_256'),
  HMAC_384: hmac('HMAC_384', 48, 'HMAC_SHA_384'),
  HMAC_512: hmac('HMAC_512', 64, 'HMAC_SHA_512'),
  RSA_2048: rsa('RSA_2048', 2048),
  RSA_3072: rsa('RSA_3072', 3072),
  RSA_4096: rsa('RSA_4096', 4096),
  // AWS pairs each NIST curve with one digest.
  ECC_NIST_P256: nist('ECC_NIST_P256', 'P-256', ['ECDSA_SHA_256']),
  ECC_NIST_P384: nist('ECC_NIST_P384', 'P-384', ['ECDSA_SHA_384']),
  ECC_NIST_P521: nist('ECC_NIST_P521', 'P-521', ['ECDSA_SHA_512']),
  ECC_SECG_P256K1: {
    name: 'ECC_SECG_P256K1',
    family: 'ec',
    curve: 'secp256k1',
    usages: ['SIGN_VERIFY'],
    encryption: none,
    signing: ['ECDSA_SHA_256'],
    mac: none,
    agreement: none,
    derivation: none,
  },
  ECC_NIST_EDWARDS25519: {
    name: 'ECC_NIST_EDWARDS25519',
    family: 'okp',
    curve: 'Ed25519',
    usages: ['SIGN_VERIFY'],
    encryption: none,
    signing: ['ED25519_SHA_512'],
    mac: none,
    agreement: none,
    derivation: none,
  },
  X25519: {
    name: 'X25519',
    family: 'okp',
    curve: 'X25519',
    usages: ['KEY_AGREEMENT'],
    encryption: none,
    signing: none,
    mac: none,
    agreement: ['ECDH'],
    derivation: none,
  },
} as const satisfies Record<KeySpec, KeySpecEntry>;

/** Every entry of the table, for code that walks it. */
export const KEY_SPEC_ENTRIES: readonly KeySpecEntry[] = Object.values(KEY_SPEC_TABLE);

/** Parses a spec name at the edge; everything below takes the entry, never the string. */
export function keySpec(name: string): KeySpecEntry {
  if (!(KEY_SPECS as readonly string[]).includes(name)) throw new UnsupportedError(`unsupported key spec: ${name}`);
  return KEY_SPEC_TABLE[name as KeySpec];
}

export function isSymmetric(spec: KeySpecEntry): boolean {
  return spec.family === 'aes' || spec.family === 'hmac';
}

/** Every algorithm the spec supports for a usage (the first is the default where one is needed). */
export function algorithmsFor(spec: KeySpecEntry, usage: KeyUsage): readonly string[] {
  switch (usage) {
    case 'ENCRYPT_DECRYPT':
      return spec.encryption;
    case 'SIGN_VERIFY':
      return spec.signing;
    case 'GENERATE_VERIFY_MAC':
      return spec.mac;
    case 'KEY_AGREEMENT':
      return spec.agreement;
    case 'DERIVE_KEY':
      return spec.derivation;
  }
}

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
  Exclude<EncryptionAlgorithm, 'SYMMETRIC_DEFAULT'> | SigningAlgorithm | MacAlgorithm | DerivationAlgorithm,
  HashName
>;
