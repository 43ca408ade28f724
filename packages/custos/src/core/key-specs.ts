// THE table of key specs: each spec points at its family's descriptor (core/families/) with the size it picks
// and the usages and algorithms AWS KMS gives it. Pure data and lookups; no store, service or api.
import {
  InternalError,
  KEY_SPECS,
  UnsupportedError,
  type Algorithm,
  type DerivationAlgorithm,
  type EncapsulationAlgorithm,
  type EncryptionAlgorithm,
  type KeyAgreementAlgorithm,
  type KeySpec,
  type KeyUsage,
  type MacAlgorithm,
  type SigningAlgorithm,
} from '@custos/contract';
import { AES } from './families/aes.js';
import { P256, P384, P521, SECP256K1 } from './families/ec.js';
import { HMAC } from './families/hmac.js';
import type { KeyFamily, SpecParameters } from './families/key-family.js';
import { ED25519, X25519 } from './families/okp.js';
import { ML_DSA_44, ML_DSA_65, ML_DSA_87, ML_KEM_512, ML_KEM_768, ML_KEM_1024 } from './families/pq.js';
import { RSA } from './families/rsa.js';

/** A spec: its family's descriptor, the size it picks, and the usages and algorithms AWS KMS gives it. */
export interface KeySpecEntry extends SpecParameters {
  readonly usages: readonly KeyUsage[];
  readonly encryption: readonly EncryptionAlgorithm[];
  readonly signing: readonly SigningAlgorithm[];
  readonly mac: readonly MacAlgorithm[];
  readonly agreement: readonly KeyAgreementAlgorithm[];
  readonly derivation: readonly DerivationAlgorithm[];
  readonly encapsulation: readonly EncapsulationAlgorithm[];
}

type EntryFields = Pick<KeySpecEntry, 'name' | 'family' | 'keyBytes' | 'modulusBits' | 'usages'> &
  Partial<Pick<KeySpecEntry, 'encryption' | 'signing' | 'mac' | 'agreement' | 'derivation' | 'encapsulation'>>;

/** An entry with empty lists where none is given; refuses (at load) an algorithm its family does not serve. */
function entry(fields: EntryFields): KeySpecEntry {
  const spec: KeySpecEntry = {
    encryption: [],
    signing: [],
    mac: [],
    agreement: [],
    derivation: [],
    encapsulation: [],
    ...fields,
  };
  const algorithms = [
    ...spec.encryption,
    ...spec.signing,
    ...spec.mac,
    ...spec.agreement,
    ...spec.derivation,
    ...spec.encapsulation,
  ];
  for (const algorithm of algorithms)
    if (!spec.family.serves.includes(algorithm))
      throw new InternalError(`${spec.name}: the ${spec.family.name} family does not serve ${algorithm}`);
  return spec;
}

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

const aes = (name: KeySpec, keyBytes: number) =>
  entry({
    name,
    family: AES,
    keyBytes,
    usages: ['ENCRYPT_DECRYPT', 'DERIVE_KEY'],
    encryption: ['SYMMETRIC_DEFAULT'],
    derivation: ALL_KDF,
  });
const hmac = (name: KeySpec, keyBytes: number, mac: MacAlgorithm) =>
  entry({
    name,
    family: HMAC,
    keyBytes,
    usages: ['GENERATE_VERIFY_MAC', 'DERIVE_KEY'],
    mac: [mac],
    derivation: ALL_KDF,
  });
const rsa = (name: KeySpec, modulusBits: number) =>
  entry({
    name,
    family: RSA,
    modulusBits,
    usages: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
    encryption: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'],
    signing: RSA_SIGNING,
  });
// AWS KMS: ML-DSA keys sign with ML_DSA_SHAKE_256 only; ML-KEM keys are ENCAPSULATE_DECAPSULATE with ML_KEM.
const mlDsa = (name: KeySpec, family: KeyFamily) =>
  entry({ name, family, usages: ['SIGN_VERIFY'], signing: ['ML_DSA_SHAKE_256'] });
const mlKem = (name: KeySpec, family: KeyFamily) =>
  entry({ name, family, usages: ['ENCAPSULATE_DECAPSULATE'], encapsulation: ['ML_KEM'] });
const nist = (name: KeySpec, family: KeyFamily, signing: SigningAlgorithm) =>
  entry({ name, family, usages: ['SIGN_VERIFY', 'KEY_AGREEMENT'], signing: [signing], agreement: ['ECDH'] });

/** Every key spec Custos supports (DESIGN.md, "Key specs"): spec → family descriptor + parameters + AWS's lists. */
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
  ECC_NIST_P256: nist('ECC_NIST_P256', P256, 'ECDSA_SHA_256'),
  ECC_NIST_P384: nist('ECC_NIST_P384', P384, 'ECDSA_SHA_384'),
  ECC_NIST_P521: nist('ECC_NIST_P521', P521, 'ECDSA_SHA_512'),
  ECC_SECG_P256K1: entry({
    name: 'ECC_SECG_P256K1',
    family: SECP256K1,
    usages: ['SIGN_VERIFY'],
    signing: ['ECDSA_SHA_256'],
  }),
  ECC_NIST_EDWARDS25519: entry({
    name: 'ECC_NIST_EDWARDS25519',
    family: ED25519,
    usages: ['SIGN_VERIFY'],
    signing: ['ED25519_SHA_512'],
  }),
  X25519: entry({ name: 'X25519', family: X25519, usages: ['KEY_AGREEMENT'], agreement: ['ECDH'] }),
  ML_DSA_44: mlDsa('ML_DSA_44', ML_DSA_44),
  ML_DSA_65: mlDsa('ML_DSA_65', ML_DSA_65),
  ML_DSA_87: mlDsa('ML_DSA_87', ML_DSA_87),
  ML_KEM_512: mlKem('ML_KEM_512', ML_KEM_512),
  ML_KEM_768: mlKem('ML_KEM_768', ML_KEM_768),
  ML_KEM_1024: mlKem('ML_KEM_1024', ML_KEM_1024),
} as const satisfies Record<KeySpec, KeySpecEntry>;

/** Every entry of the table, for code that walks it. */
export const KEY_SPEC_ENTRIES: readonly KeySpecEntry[] = Object.values(KEY_SPEC_TABLE);

/**
 * Parses a spec name at the edge (a string from outside); everything below takes the entry, never the string.
 * @example const spec = keySpec('ECC_NIST_P256'); // UnsupportedError for a name not in the table
 */
export function keySpec(name: string): KeySpecEntry {
  if (!(KEY_SPECS as readonly string[]).includes(name)) throw new UnsupportedError(`unsupported key spec: ${name}`);
  return KEY_SPEC_TABLE[name as KeySpec];
}

/**
 * The entry of a name already parsed (a stored key's `spec`, a request field its schema checked): a lookup
 * that cannot fail, so the service never parses a name twice.
 * @example const spec = specEntry(key.spec);
 */
export function specEntry(name: KeySpec): KeySpecEntry {
  return KEY_SPEC_TABLE[name];
}

/** True for raw secret keys (AES, HMAC): no public key, no PEM, rotation by a new version. The family decides. */
export function isSymmetric(spec: KeySpecEntry): boolean {
  return spec.family.material === 'raw';
}

/** Every algorithm the spec supports for a usage (the first is the default where one is needed). */
export function algorithmsFor(spec: KeySpecEntry, usage: KeyUsage): readonly Algorithm[] {
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
    case 'ENCAPSULATE_DECAPSULATE':
      return spec.encapsulation;
  }
}
