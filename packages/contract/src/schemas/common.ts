// Reusable TypeBox pieces of the operation schemas: identifiers, binary, enums, KeyMetadata.
// Must not import anything but TypeBox and the contract's own names.ts / errors.ts.

import {
  Type,
  type SchemaOptions,
  type Static,
  type TLiteral,
  type TUnion,
  type Uint8ArrayOptions,
} from '@sinclair/typebox';
import { ERROR_CODES } from '../errors.js';
import {
  ALGORITHMS,
  DATA_KEY_PAIR_SPECS,
  DATA_KEY_SPECS,
  DERIVATION_ALGORITHMS,
  DERIVED_KEY_SPECS,
  ENCRYPTION_ALGORITHMS,
  EXPIRATION_MODELS,
  KEY_AGREEMENT_ALGORITHMS,
  ENCAPSULATION_ALGORITHMS,
  KEY_MANAGERS,
  KEY_SPECS,
  KEY_STATES,
  KEY_USAGES,
  MAC_ALGORITHMS,
  MESSAGE_TYPES,
  ORIGINS,
  PROTECTION_LEVELS,
  ROLES,
  SIGNING_ALGORITHMS,
  WRAPPING_ALGORITHMS,
  WRAPPING_KEY_SPECS,
} from '../names.js';

/** Maps a tuple of strings to a tuple of TypeBox literals, keeping each literal type. */
export type TLiteralTuple<T extends readonly string[]> = { -readonly [K in keyof T]: TLiteral<T[K] & string> };

/**
 * A closed enum schema built from one of the const lists in names.ts, so the list stays the only source.
 *
 * @example
 * const KeySpecSchema = literalUnion(KEY_SPECS); // Static<typeof KeySpecSchema> is KeySpec
 */
export function literalUnion<const T extends readonly [string, ...string[]]>(
  values: T,
  options?: SchemaOptions,
): TUnion<TLiteralTuple<T>> {
  return Type.Union(
    values.map((value) => Type.Literal(value)),
    options,
  ) as unknown as TUnion<TLiteralTuple<T>>;
}

// ---- enums (the type of each is in names.ts, e.g. KeySpec) ----

export const KeySpecSchema = literalUnion(KEY_SPECS);
export const KeyUsageSchema = literalUnion(KEY_USAGES);
export const EncryptionAlgorithmSchema = literalUnion(ENCRYPTION_ALGORITHMS);
export const SigningAlgorithmSchema = literalUnion(SIGNING_ALGORITHMS);
export const MacAlgorithmSchema = literalUnion(MAC_ALGORITHMS);
export const KeyAgreementAlgorithmSchema = literalUnion(KEY_AGREEMENT_ALGORITHMS);
export const EncapsulationAlgorithmSchema = literalUnion(ENCAPSULATION_ALGORITHMS);
export const DerivationAlgorithmSchema = literalUnion(DERIVATION_ALGORITHMS);
export const AlgorithmSchema = literalUnion(ALGORITHMS);
export const DataKeySpecSchema = literalUnion(DATA_KEY_SPECS);
export const DataKeyPairSpecSchema = literalUnion(DATA_KEY_PAIR_SPECS);
export const DerivedKeySpecSchema = literalUnion(DERIVED_KEY_SPECS);
export const KeyStateSchema = literalUnion(KEY_STATES);
export const OriginSchema = literalUnion(ORIGINS);
export const ProtectionLevelSchema = literalUnion(PROTECTION_LEVELS);
export const MessageTypeSchema = literalUnion(MESSAGE_TYPES);
export const WrappingKeySpecSchema = literalUnion(WRAPPING_KEY_SPECS);
export const WrappingAlgorithmSchema = literalUnion(WRAPPING_ALGORITHMS);
export const ExpirationModelSchema = literalUnion(EXPIRATION_MODELS);
export const KeyManagerSchema = literalUnion(KEY_MANAGERS);
export const RoleSchema = literalUnion(ROLES);
export const ErrorCodeSchema = literalUnion(ERROR_CODES);

/**
 * The static type of an object schema with no properties (`Type.Object({})`): a request or response with no field.
 * TypeBox infers `{}` for it, which admits any value but null and undefined; this admits only an object.
 */
export type EmptyObject = Record<string, never>;

// ---- identifiers and scalars (limits from the AWS KMS API Reference) ----

/** A key id, key ARN, alias name or alias ARN (AWS KeyIdType: 1..2048). Which forms an operation accepts is a service rule. */
export const KeyIdString = Type.String({ minLength: 1, maxLength: 2048 });

/** `alias/` then letters, digits, `/`, `_`, `-` (AWS AliasName, max 256). That `alias/aws/` is reserved is a service rule. */
export const AliasName = Type.String({ minLength: 7, maxLength: 256, pattern: '^alias/[a-zA-Z0-9/_-]+$' });

/**
 * A string that is well-formed UTF-16: every surrogate is half of a pair. A lone surrogate has no UTF-8 form (it
 * would be encoded as U+FFFD, so "\ud800" and "\udfff" would become the same bytes). The pattern means the same
 * with and without the `u` flag (TypeBox compiles it without, JSON Schema validators such as ajv with).
 */
const WELL_FORMED_UTF16 = '^(?:[^\\uD800-\\uDFFF]|[\\uD800-\\uDBFF][\\uDC00-\\uDFFF])*$';
const WellFormedString = Type.String({ pattern: WELL_FORMED_UTF16 });

/**
 * AWS EncryptionContext: a string map bound to the ciphertext as additional data (its canonical UTF-8 encoding).
 * Keys and values must be well-formed UTF-16 (no lone surrogates), so that distinct contexts never encode alike.
 */
export const EncryptionContext = Type.Record(WellFormedString, WellFormedString, { additionalProperties: false });
export type EncryptionContext = Static<typeof EncryptionContext>;

/** AWS Tag. */
export const Tag = Type.Object(
  {
    tagKey: Type.String({ minLength: 1, maxLength: 128 }),
    tagValue: Type.String({ minLength: 0, maxLength: 256 }),
  },
  { additionalProperties: false },
);
export type Tag = Static<typeof Tag>;

/** AWS TagKeyType (UntagResource). */
export const TagKey = Type.String({ minLength: 1, maxLength: 128 });

/** A principal's tags (tokens, access keys): at most 50, keys of 1–128 and values of at most 256 characters. */
export const PrincipalTags = Type.Record(
  Type.String({ pattern: '^[\\w.:/=+@-]{1,128}$' }),
  Type.String({ maxLength: 256 }),
  {
    maxProperties: 50,
    additionalProperties: false,
  },
);

/** AWS DescriptionType: 0..8192. */
export const Description = Type.String({ minLength: 0, maxLength: 8192 });

/** Bytes, unconstrained. */
export const Binary = Type.Uint8Array();

/** The most bytes Encrypt takes as plaintext, and Sign, Verify and GenerateMac as a message (AWS KMS's limit). */
export const MAX_MESSAGE_BYTES = 4096;

/** The longest ciphertext blob Decrypt and ReEncrypt take (AWS CiphertextBlobType: 1..6144). */
export const MAX_CIPHERTEXT_BYTES = 6144;

/** The most bytes one GenerateRandom returns (AWS: 1..1024). */
export const MAX_RANDOM_BYTES = 1024;

/** Bytes with a length range, e.g. `binary(1, MAX_MESSAGE_BYTES)` for Encrypt's plaintext. */
export function binary(minByteLength: number, maxByteLength: number, options?: Uint8ArrayOptions) {
  return Type.Uint8Array({ ...options, minByteLength, maxByteLength });
}

/** Page size of the List operations (AWS LimitType: 1..1000; some operations lower the maximum). */
export const Limit = Type.Integer({ minimum: 1, maximum: 1000 });

/** Pagination token returned as `nextMarker` (AWS MarkerType: 1..1024). */
export const Marker = Type.String({ minLength: 1, maxLength: 1024 });

/** AWS GrantTokens: accepted so that AWS SDK requests validate; Custos has no grants and the service rejects them. */
export const GrantTokens = Type.Array(Type.String({ minLength: 1, maxLength: 8192 }), { maxItems: 10 });

/** AWS DryRun: accepted so that AWS SDK requests validate; the service decides whether it supports it. */
export const DryRun = Type.Boolean();

/** AWS PolicyNameType; Custos keys have one policy, `default`. */
export const PolicyName = Type.String({ minLength: 1, maxLength: 128, pattern: '^[\\w]+$' });

/** AWS PolicyType: a JSON document, 1..131072 characters. */
export const Policy = Type.String({ minLength: 1, maxLength: 131072 });

/** Custos key version: 1 for the first material, +1 per rotation. */
export const KeyVersion = Type.Integer({ minimum: 1 });

/** A JSON Web Key (RFC 7517); only public members unless the key was exported. */
export const Jwk = Type.Object(
  {
    kty: Type.String(),
    kid: Type.Optional(Type.String()),
    use: Type.Optional(Type.String()),
    key_ops: Type.Optional(Type.Array(Type.String())),
    alg: Type.Optional(Type.String()),
    crv: Type.Optional(Type.String()),
    n: Type.Optional(Type.String()),
    e: Type.Optional(Type.String()),
    x: Type.Optional(Type.String()),
    y: Type.Optional(Type.String()),
    d: Type.Optional(Type.String()),
    p: Type.Optional(Type.String()),
    q: Type.Optional(Type.String()),
    dp: Type.Optional(Type.String()),
    dq: Type.Optional(Type.String()),
    qi: Type.Optional(Type.String()),
    k: Type.Optional(Type.String()),
    /** AKP (ML-DSA, ML-KEM; draft-ietf-cose-dilithium): the raw public key, and the seed of a private key. */
    pub: Type.Optional(Type.String()),
    priv: Type.Optional(Type.String()),
    x5c: Type.Optional(Type.Array(Type.String())),
  },
  { additionalProperties: true },
);
export type Jwk = Static<typeof Jwk>;

// ---- Custos key attributes ----

/** MOSIP-style key addressing: an application id and a reference id within it. */
export const Keyring = Type.Object(
  {
    applicationId: Type.String({ minLength: 1, maxLength: 256 }),
    referenceId: Type.String({ minLength: 0, maxLength: 256 }),
  },
  { additionalProperties: false },
);
export type Keyring = Static<typeof Keyring>;

/** Usage constraints as a caller sets them (CreateKey). Consistency (notBefore < notAfter, algorithms fit the key) is a service rule. */
export const UsageConstraintsInput = Type.Object(
  {
    allowedAlgorithms: Type.Optional(Type.Array(AlgorithmSchema, { minItems: 1 })),
    notBefore: Type.Optional(Type.Date()),
    notAfter: Type.Optional(Type.Date()),
    maxUses: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);
export type UsageConstraintsInput = Static<typeof UsageConstraintsInput>;

/** Usage constraints as KeyMetadata reports them, with the number of uses so far. */
export const UsageConstraints = Type.Object({
  allowedAlgorithms: Type.Optional(Type.Array(AlgorithmSchema)),
  notBefore: Type.Optional(Type.Date()),
  notAfter: Type.Optional(Type.Date()),
  maxUses: Type.Optional(Type.Integer({ minimum: 1 })),
  useCount: Type.Integer({ minimum: 0 }),
});
export type UsageConstraints = Static<typeof UsageConstraints>;

/**
 * AWS KeyMetadata (camelCase) plus the Custos fields `exportable`, `derivationAlgorithms`,
 * `currentKeyVersion`, `protectionLevel`, `usageConstraints` and `keyring`.
 */
export const KeyMetadata = Type.Object({
  // AWS fields
  awsAccountId: Type.String(),
  keyId: Type.String({ minLength: 1, maxLength: 2048 }),
  arn: Type.String({ minLength: 1, maxLength: 2048 }),
  creationDate: Type.Date(),
  enabled: Type.Boolean(),
  description: Description,
  keyUsage: KeyUsageSchema,
  keyState: KeyStateSchema,
  deletionDate: Type.Optional(Type.Date()),
  validTo: Type.Optional(Type.Date()),
  origin: OriginSchema,
  keyManager: KeyManagerSchema,
  /** Deprecated by AWS in favour of keySpec; always equal to it. */
  customerMasterKeySpec: KeySpecSchema,
  keySpec: KeySpecSchema,
  encryptionAlgorithms: Type.Optional(Type.Array(EncryptionAlgorithmSchema)),
  signingAlgorithms: Type.Optional(Type.Array(SigningAlgorithmSchema)),
  keyAgreementAlgorithms: Type.Optional(Type.Array(KeyAgreementAlgorithmSchema)),
  encapsulationAlgorithms: Type.Optional(Type.Array(EncapsulationAlgorithmSchema)),
  macAlgorithms: Type.Optional(Type.Array(MacAlgorithmSchema)),
  multiRegion: Type.Literal(false),
  pendingDeletionWindowInDays: Type.Optional(Type.Integer({ minimum: 1 })),
  expirationModel: Type.Optional(ExpirationModelSchema),
  currentKeyMaterialId: Type.Optional(Type.String()),
  /** The custom key store holding the key (origin AWS_CLOUDHSM), and its token's label. */
  customKeyStoreId: Type.Optional(Type.String()),
  cloudHsmClusterId: Type.Optional(Type.String()),
  // Custos fields
  exportable: Type.Boolean(),
  derivationAlgorithms: Type.Optional(Type.Array(DerivationAlgorithmSchema)),
  /** The newest key version; 0 while an EXTERNAL key has never had material imported. */
  currentKeyVersion: Type.Integer({ minimum: 0 }),
  protectionLevel: ProtectionLevelSchema,
  usageConstraints: UsageConstraints,
  keyring: Type.Optional(Keyring),
  /** True for a public key imported alone (ImportPublicKey): verify and encrypt only; absent otherwise. */
  publicKeyOnly: Type.Optional(Type.Boolean()),
  /** When any version of the key was last used (DescribeKey only; absent when never, or not looked up). */
  lastUsedAt: Type.Optional(Type.Date()),
  /** Symmetric encryption keys: the oldest version Decrypt accepts (Vault's min_decryption_version). */
  minDecryptionVersion: Type.Optional(Type.Integer({ minimum: 1 })),
});
export type KeyMetadata = Static<typeof KeyMetadata>;
