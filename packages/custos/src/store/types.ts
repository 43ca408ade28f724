// Domain records the store reads and writes. Row types (schema/) never leave store; these do.
// Must not import service or api.
import type {
  Algorithm,
  AuditOutcome,
  ConnectionErrorCode,
  KeySpec,
  KeyState,
  KeyUsage,
  Origin,
  PinPolicy,
  ProtectionLevel,
  Role,
  WrappingAlgorithm,
  WrappingKeySpec,
} from '@custos/contract';

export interface KeyRecord {
  readonly id: string; // UUID
  readonly spec: KeySpec;
  readonly usage: KeyUsage;
  readonly state: KeyState;
  readonly origin: Origin;
  readonly protectionLevel: ProtectionLevel;
  readonly description: string;
  readonly exportable: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** Set while PendingDeletion: when the sweep may destroy the material. */
  readonly deletionDate: Date | null;
  readonly pendingWindowDays: number | null;
  /** The newest version: new encryptions and signatures use it. 0 while PendingImport with no material. */
  readonly latestVersion: number;
  readonly rotationEnabled: boolean;
  readonly rotationPeriodDays: number | null;
  readonly nextRotationAt: Date | null;
  /** Usage constraints: allowed algorithms (null = all the spec supports), validity window, maximum uses. */
  readonly allowedAlgorithms: readonly Algorithm[] | null;
  readonly notBefore: Date | null;
  readonly notAfter: Date | null;
  readonly maxUses: number | null;
  readonly useCount: number;
  /** Imported material: when it expires (AWS ValidTo); null = does not expire. */
  readonly materialExpiresAt: Date | null;
  /** Keyring addressing (MOSIP application id / reference id); both null when unused. */
  readonly applicationId: string | null;
  readonly referenceId: string | null;
  /** Key policy document, stored and returned as given (JSON text). */
  readonly policy: string | null;
  /** Whether the public JWK is served without a token at /.well-known/jwks.json (enabled signing keys only). */
  readonly publishJwk: boolean;
  /** Whether every use of the key needs its PIN (KeyPinRecord holds the policy, hashes and counters). */
  readonly pinProtected: boolean;
  /** A public key alone (ImportPublicKey): its versions have a public key and no material; only public-key uses work. */
  readonly publicKeyOnly: boolean;
  /** The oldest version Decrypt accepts (Vault transit's min_decryption_version); 1 = all. */
  readonly minDecryptionVersion: number;
  /** Versions below it are trimmed, or scheduled to be at `trimDate`; minDecryptionVersion never goes below it. */
  readonly trimFloor: number;
  /** When a scheduled trim destroys the material of the versions below trimFloor; null when none is pending. */
  readonly trimDate: Date | null;
}

export interface KeyVersionRecord {
  readonly keyId: string;
  readonly version: number; // 1, 2, ...
  /** Material wrapped by the root of trust; null once destroyed (or deleted imported material). */
  readonly wrappedMaterial: Uint8Array | null;
  /** SPKI DER for asymmetric specs. */
  readonly publicKey: Uint8Array | null;
  readonly createdAt: Date;
  /** 'AUTOMATIC' | 'ON_DEMAND' for versions made by rotation; null for the first. */
  readonly rotationType: 'AUTOMATIC' | 'ON_DEMAND' | null;
  /** How many encryptions this version has done (bounded well below the GCM random-IV limit). */
  readonly encryptionCount: number;
  /**
   * One-way check value of the material (core/material-check.ts), kept when the material is
   * destroyed so a re-import can be recognised as the same material; null/absent when not recorded.
   */
  readonly materialCheck?: string | null;
  /**
   * HSM-protected versions: the hex CKA_ID of the key object in the token (no wrapped material is stored); null for
   * software versions and once the object is destroyed.
   */
  readonly tokenObjectId?: string | null;
  /** HSM-protected versions: the custom key store whose token holds the object; null = the root of trust's token. */
  readonly customKeyStoreId?: string | null;
  /** Keyring Base keys: the Module key whose RSA key wraps the material inside the root's wrapping; null otherwise. */
  readonly wrappingKeyId?: string | null;
}

export interface AliasRecord {
  readonly name: string; // 'alias/...'
  readonly keyId: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface TagRecord {
  readonly tagKey: string;
  readonly tagValue: string;
}

export interface ImportTokenRecord {
  readonly id: string; // UUID; the import token handed out is derived from it (see service)
  readonly keyId: string;
  readonly wrappingKeySpec: WrappingKeySpec;
  readonly wrappingAlgorithm: WrappingAlgorithm;
  /** The wrapping key pair's private half, wrapped by the root of trust. */
  readonly wrappedPrivateKey: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

/**
 * A REST API bearer token: only a keyed hash of the token is stored (`tokenHash`: HMAC under a root-derived key of
 * the token's SHA-256 hex, see service/integrity/keys.ts), never the token.
 */
export interface TokenRecord {
  readonly id: string;
  readonly principal: string;
  readonly roles: readonly Role[];
  readonly tokenHash: string;
  readonly description: string;
  /** `aws:PrincipalTag/<key>` in key policies; null: none. */
  readonly tags: Readonly<Record<string, string>> | null;
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
  readonly lastUsedAt: Date | null;
}

/**
 * An AWS-style access key (SigV4) of the AWS KMS protocol. SigV4 needs the secret itself to recompute signatures,
 * so it is stored wrapped by the root of trust (`wrappedSecret`, additional data binding the access key id), never
 * in plaintext and never hashed.
 */
export interface AccessKeyRecord {
  readonly id: string; // the access key id, 'AKIA…'
  readonly principal: string;
  readonly roles: readonly Role[];
  readonly wrappedSecret: Uint8Array;
  readonly description: string;
  /** `aws:PrincipalTag/<key>` in key policies; null: none. */
  readonly tags: Readonly<Record<string, string>> | null;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
  readonly lastUsedAt: Date | null;
}

/** The desired connection state of a custom key store (CONNECTING and DISCONNECTING are never stored). */
export type StoredConnectionState = 'CONNECTED' | 'DISCONNECTED' | 'FAILED';

export interface CustomKeyStoreRecord {
  readonly id: string; // 'cks-' + 17 hex characters
  readonly name: string;
  /** The PKCS#11 token's label (AWS CloudHsmClusterId). */
  readonly tokenLabel: string;
  /** The token's user PIN, wrapped by the root of trust (aad: service/hsm/key-stores.ts keyStorePinAad). */
  readonly wrappedPin: Uint8Array;
  readonly trustAnchor: string;
  readonly connectionState: StoredConnectionState;
  /** Why the last connection failed (AWS ConnectionErrorCode), with FAILED only. */
  readonly connectionErrorCode: ConnectionErrorCode | null;
  readonly createdAt: Date;
}

export type { AuditOutcome };

export interface AuditEntry {
  readonly time: Date;
  readonly principal: string;
  readonly operation: string; // AWS operation name, e.g. 'Encrypt'
  readonly keyId: string | null;
  readonly keyVersion: number | null;
  readonly outcome: AuditOutcome;
  readonly errorCode: string | null;
  readonly requestId: string;
  /** Non-secret details (JSON-serialisable); never key material, plaintext or tokens. */
  readonly details: Record<string, unknown> | null;
}

/**
 * An audit entry in the form the service's chain hashes and the store persists: time in ms, details as their
 * canonical JSON text, linked to the previous entry by its hash. The store writes and reads it as it is.
 */
export interface ChainedAuditEntry {
  readonly time: number;
  readonly principal: string;
  readonly operation: string;
  readonly keyId: string | null;
  readonly keyVersion: number | null;
  readonly outcome: AuditOutcome;
  readonly errorCode: string | null;
  readonly requestId: string;
  readonly details: string | null;
  readonly prevHash: string;
  readonly hash: string;
  /** 1: unkeyed SHA-256 (records before issue 12); 2: HMAC-SHA-256 under the root-derived audit-chain key. */
  readonly chain: AuditChainScheme;
}

/** How an audit record is linked to the one before it (the `audit_log.chain` column). */
export type AuditChainScheme = 1 | 2;

export interface AuditRecord extends AuditEntry {
  readonly seq: number;
  readonly prevHash: string; // hex SHA-256 of the previous record ('' * 64 zeros for the first)
  readonly hash: string; // hex SHA-256 over prevHash and this record's canonical encoding
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Opaque cursor for the next page; null when this is the last. */
  readonly next: string | null;
}

/** A key's certificate chain (key_certificates). */
export interface KeyCertificateRecord {
  readonly keyId: string;
  /** The key version whose public key the leaf certifies. */
  readonly keyVersion: number;
  /** PEM certificates, leaf first. */
  readonly chain: readonly string[];
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** The attestation identity's certificate chain (one per Custos). */
export interface AttestationChainRecord {
  /** SPKI DER of the attestation key the chain's first certificate certifies. */
  readonly publicKey: Uint8Array;
  /** PEM certificates: the identity's own first, the root verifiers pin last. */
  readonly chain: readonly string[];
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** A trust anchor of the trust store (trusted_certificates). */
export interface TrustedCertificateRecord {
  readonly id: string;
  readonly domain: string;
  /** SHA-256 of the certificate's DER, lower-case hex. */
  readonly thumbprint: string;
  readonly subject: string;
  readonly issuer: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** PEM. */
  readonly certificate: string;
  readonly createdAt: Date;
}

/** A keyring policy (MOSIP key_policy_def). */
export interface KeyringPolicyRecord {
  readonly applicationId: string;
  readonly validityDays: number;
  readonly preExpireDays: number;
  readonly active: boolean;
  /** 'NA' = any caller, else a comma list of principals. */
  readonly accessAllowed: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** What a keyring entry holds: the ROOT key, a Module (master) key, a Base key, a partner's certificate, an AES key. */
export type KeyringKeyKind = 'ROOT' | 'MASTER' | 'BASE' | 'PARTNER' | 'SYMMETRIC';

/** One generation of a keyring's key (MOSIP key_alias). */
export interface KeyringKeyRecord {
  readonly id: string;
  readonly applicationId: string;
  readonly referenceId: string;
  readonly kind: KeyringKeyKind;
  readonly keyId: string | null;
  readonly certificate: string | null;
  readonly thumbprint: string | null;
  readonly uniqueIdentifier: string;
  readonly generatedAt: Date;
  readonly expiresAt: Date;
  readonly createdAt: Date;
}

/** A grant's encryption context constraints (AWS GrantConstraints). */
export interface GrantConstraintsRecord {
  readonly encryptionContextEquals?: Readonly<Record<string, string>>;
  readonly encryptionContextSubset?: Readonly<Record<string, string>>;
}

/** An AWS KMS grant on a key (CreateGrant); retiring or revoking deletes it. */
export interface GrantRecord {
  /** 64 lower-case hex digits. */
  readonly id: string;
  readonly keyId: string;
  /** IAM ARN of the principal the grant lets use the key. */
  readonly granteePrincipal: string;
  readonly retiringPrincipal: string | null;
  /** AWS GrantOperation names. */
  readonly operations: readonly string[];
  readonly constraints: GrantConstraintsRecord | null;
  /** The idempotency name, or null. */
  readonly name: string | null;
  /** IAM ARN of the principal that created the grant. */
  readonly issuingPrincipal: string;
  readonly createdAt: Date;
}

/** A PIN-protected key's PIN state (key_pins, migration 015): every field is row-MAC'd. */
export interface KeyPinRecord {
  readonly keyId: string;
  readonly policy: PinPolicy;
  /** Encoded salted scrypt hashes (service/key-pins/pin-hash.ts), never the PIN or PUK. */
  readonly pinHash: string;
  readonly pukHash: string;
  /** Wrong PINs in a row, counting tries still being checked; at `policy.retryLimit` the key is blocked. */
  readonly pinFailures: number;
  readonly pukFailures: number;
  readonly blocked: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}
