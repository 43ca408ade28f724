// The closed vocabularies of the Kms interface, spelled as AWS KMS spells them where AWS has a name.
// Must not import anything. custos's core/key-specs.ts is keyed on these lists, so the two cannot drift.

export const KEY_SPECS = [
  'SYMMETRIC_DEFAULT',
  'AES_128',
  'AES_192',
  'AES_256',
  'HMAC_224',
  'HMAC_256',
  'HMAC_384',
  'HMAC_512',
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'ECC_NIST_P256',
  'ECC_NIST_P384',
  'ECC_NIST_P521',
  'ECC_SECG_P256K1',
  'ECC_NIST_EDWARDS25519',
  'X25519',
  'ML_DSA_44',
  'ML_DSA_65',
  'ML_DSA_87',
  'ML_KEM_512',
  'ML_KEM_768',
  'ML_KEM_1024',
] as const;
export type KeySpec = (typeof KEY_SPECS)[number];

export const KEY_USAGES = [
  'ENCRYPT_DECRYPT',
  'SIGN_VERIFY',
  'GENERATE_VERIFY_MAC',
  'KEY_AGREEMENT',
  'DERIVE_KEY',
  'ENCAPSULATE_DECAPSULATE',
] as const;
export type KeyUsage = (typeof KEY_USAGES)[number];

export const ENCRYPTION_ALGORITHMS = ['SYMMETRIC_DEFAULT', 'RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] as const;
export type EncryptionAlgorithm = (typeof ENCRYPTION_ALGORITHMS)[number];

export const SIGNING_ALGORITHMS = [
  'RSASSA_PSS_SHA_256',
  'RSASSA_PSS_SHA_384',
  'RSASSA_PSS_SHA_512',
  'RSASSA_PKCS1_V1_5_SHA_256',
  'RSASSA_PKCS1_V1_5_SHA_384',
  'RSASSA_PKCS1_V1_5_SHA_512',
  'ECDSA_SHA_256',
  'ECDSA_SHA_384',
  'ECDSA_SHA_512',
  'ED25519_SHA_512',
  'ML_DSA_SHAKE_256',
] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

export const MAC_ALGORITHMS = ['HMAC_SHA_224', 'HMAC_SHA_256', 'HMAC_SHA_384', 'HMAC_SHA_512'] as const;
export type MacAlgorithm = (typeof MAC_ALGORITHMS)[number];

export const KEY_AGREEMENT_ALGORITHMS = ['ECDH'] as const;
export type KeyAgreementAlgorithm = (typeof KEY_AGREEMENT_ALGORITHMS)[number];

/** AWS EncapsulationAlgorithmSpec: ML-KEM (FIPS 203), the one algorithm of an ENCAPSULATE_DECAPSULATE key. */
export const ENCAPSULATION_ALGORITHMS = ['ML_KEM'] as const;
export type EncapsulationAlgorithm = (typeof ENCAPSULATION_ALGORITHMS)[number];

export const DERIVATION_ALGORITHMS = [
  'HKDF_SHA_256',
  'HKDF_SHA_384',
  'HKDF_SHA_512',
  'PBKDF2_SHA_256',
  'PBKDF2_SHA_512',
] as const;
export type DerivationAlgorithm = (typeof DERIVATION_ALGORITHMS)[number];

/** Every algorithm name a key may be constrained to (usage constraint `allowedAlgorithms`). */
export type Algorithm =
  | EncryptionAlgorithm
  | SigningAlgorithm
  | MacAlgorithm
  | KeyAgreementAlgorithm
  | DerivationAlgorithm
  | EncapsulationAlgorithm;

export const DATA_KEY_SPECS = ['AES_128', 'AES_256'] as const;
export type DataKeySpec = (typeof DATA_KEY_SPECS)[number];

export const DATA_KEY_PAIR_SPECS = [
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'ECC_NIST_P256',
  'ECC_NIST_P384',
  'ECC_NIST_P521',
  'ECC_SECG_P256K1',
  'ECC_NIST_EDWARDS25519',
  'X25519',
] as const;
export type DataKeyPairSpec = (typeof DATA_KEY_PAIR_SPECS)[number];

export const KEY_STATES = ['Enabled', 'Disabled', 'PendingDeletion', 'PendingImport', 'Destroyed'] as const;
export type KeyState = (typeof KEY_STATES)[number];

/** Where key material came from, with AWS's names (AWS_CLOUDHSM reads "generated in an HSM"). */
export const ORIGINS = ['AWS_KMS', 'EXTERNAL', 'AWS_CLOUDHSM'] as const;
export type Origin = (typeof ORIGINS)[number];

export const PROTECTION_LEVELS = ['SOFTWARE', 'HSM'] as const;
export type ProtectionLevel = (typeof PROTECTION_LEVELS)[number];

/** Custom key store kinds (AWS names): Custos maps AWS_CLOUDHSM onto a PKCS#11 token; EXTERNAL_KEY_STORE is refused. */
export const CUSTOM_KEY_STORE_TYPES = ['AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE'] as const;
export type CustomKeyStoreType = (typeof CUSTOM_KEY_STORE_TYPES)[number];

/** A custom key store's connection state (AWS DescribeCustomKeyStores). */
export const CONNECTION_STATES = ['CONNECTED', 'CONNECTING', 'DISCONNECTED', 'DISCONNECTING', 'FAILED'] as const;
export type ConnectionState = (typeof CONNECTION_STATES)[number];

/** Why a custom key store is FAILED (the AWS values Custos can meet on a PKCS#11 token). */
export const CONNECTION_ERROR_CODES = [
  'INVALID_CREDENTIALS',
  'CLUSTER_NOT_FOUND',
  'USER_LOCKED_OUT',
  'NETWORK_ERRORS',
  'INTERNAL_ERROR',
] as const;
export type ConnectionErrorCode = (typeof CONNECTION_ERROR_CODES)[number];

/** AWS MessageType: EXTERNAL_MU is ML-DSA's 64-byte μ (FIPS 204 Algorithm 7, line 6), computed by the caller. */
export const MESSAGE_TYPES = ['RAW', 'DIGEST', 'EXTERNAL_MU'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export const WRAPPING_KEY_SPECS = ['RSA_2048', 'RSA_3072', 'RSA_4096'] as const;
export type WrappingKeySpec = (typeof WRAPPING_KEY_SPECS)[number];

export const WRAPPING_ALGORITHMS = [
  'RSAES_OAEP_SHA_1',
  'RSAES_OAEP_SHA_256',
  'RSA_AES_KEY_WRAP_SHA_1',
  'RSA_AES_KEY_WRAP_SHA_256',
] as const;
export type WrappingAlgorithm = (typeof WRAPPING_ALGORITHMS)[number];

export const EXPIRATION_MODELS = ['KEY_MATERIAL_EXPIRES', 'KEY_MATERIAL_DOES_NOT_EXPIRE'] as const;
export type ExpirationModel = (typeof EXPIRATION_MODELS)[number];

/** admin: everything; key-admin: manage keys; key-user: use keys; monitor: read /metrics only (a scraper's token). */
export const ROLES = ['admin', 'key-admin', 'key-user', 'monitor'] as const;
export type Role = (typeof ROLES)[number];

// ---- Added with the operation schemas (add-only below this line). ----

/** Every algorithm name, in one list: the values of the usage constraint `allowedAlgorithms`. */
export const ALGORITHMS = [
  ...ENCRYPTION_ALGORITHMS,
  ...SIGNING_ALGORITHMS,
  ...MAC_ALGORITHMS,
  ...KEY_AGREEMENT_ALGORITHMS,
  ...DERIVATION_ALGORITHMS,
  ...ENCAPSULATION_ALGORITHMS,
] as const satisfies readonly Algorithm[];

/** Specs a DeriveKey result may be stored as: symmetric secrets only. */
export const DERIVED_KEY_SPECS = [
  'SYMMETRIC_DEFAULT',
  'AES_128',
  'AES_192',
  'AES_256',
  'HMAC_224',
  'HMAC_256',
  'HMAC_384',
  'HMAC_512',
] as const satisfies readonly KeySpec[];
export type DerivedKeySpec = (typeof DERIVED_KEY_SPECS)[number];

/** AWS KeyMetadata.KeyManager: every Custos key is a customer key. */
export const KEY_MANAGERS = ['AWS', 'CUSTOMER'] as const;
export type KeyManager = (typeof KEY_MANAGERS)[number];

/** AWS ImportKeyMaterial.ImportType. */
export const IMPORT_TYPES = ['NEW_KEY_MATERIAL', 'EXISTING_KEY_MATERIAL'] as const;
export type ImportType = (typeof IMPORT_TYPES)[number];

/** AWS RotationsListEntry.ImportState. */
export const IMPORT_STATES = ['IMPORTED', 'PENDING_IMPORT'] as const;
export type ImportState = (typeof IMPORT_STATES)[number];

/** AWS RotationsListEntry.KeyMaterialState. */
export const KEY_MATERIAL_STATES = ['NON_CURRENT', 'CURRENT', 'PENDING_ROTATION'] as const;
export type KeyMaterialState = (typeof KEY_MATERIAL_STATES)[number];

/** AWS RotationsListEntry.RotationType. */
export const ROTATION_TYPES = ['AUTOMATIC', 'ON_DEMAND'] as const;
export type RotationType = (typeof ROTATION_TYPES)[number];

/** AWS ListKeyRotations.IncludeKeyMaterial. */
export const INCLUDE_KEY_MATERIAL = ['ALL_KEY_MATERIAL', 'ROTATIONS_ONLY'] as const;
export type IncludeKeyMaterial = (typeof INCLUDE_KEY_MATERIAL)[number];

/** Custos ExportKey formats. */
export const EXPORT_FORMATS = ['JWK', 'PEM'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Outcome of an audited operation: done, refused by authorisation, or failed with an error code. */
export const AUDIT_OUTCOMES = ['allowed', 'denied', 'failed'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];
