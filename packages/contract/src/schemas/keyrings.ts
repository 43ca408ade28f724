// The schemas the keyring operations share (MOSIP key manager: application id, reference id, key policies, the
// certificates of a keyring's keys). Must not import anything but TypeBox and the contract's schemas.
import { type Static, Type } from '@sinclair/typebox';

/** A keyring's application id (MOSIP `app_id`, varchar(36)): `REGISTRATION`, `KERNEL`, `ROOT`, ... */
export const ApplicationId = Type.String({ minLength: 1, maxLength: 36, pattern: '^[A-Za-z0-9_.-]+$' });

/**
 * A reference id within an application (MOSIP `ref_id`, varchar(128)). Empty or absent: the application's master
 * (Module) key; for the `ROOT` application, the root key.
 */
export const ReferenceId = Type.String({ minLength: 0, maxLength: 128, pattern: '^[A-Za-z0-9_.-]*$' });

/** A key policy (MOSIP `key_policy_def`). */
export const KeyringPolicy = Type.Object({
  applicationId: ApplicationId,
  /** Validity of a new key of the application, in days. */
  validityDays: Type.Integer({ minimum: 1, maximum: 32767 }),
  /** A key is replaced this many days before it expires (current while now ≤ expiry − preExpireDays). */
  preExpireDays: Type.Integer({ minimum: 0, maximum: 32767 }),
  /** An inactive policy generates no key and allows no use. */
  active: Type.Boolean(),
  /** `NA` = any caller; else a comma list of principals that may use the keyring (MOSIP `access_allowed`). */
  accessAllowed: Type.String({ minLength: 1, maxLength: 1024 }),
});
export type KeyringPolicy = Static<typeof KeyringPolicy>;

/** The subject of a keyring certificate or CSR, MOSIP's fields (absent ones come from the defaults). */
export const KeyringSubject = Type.Object(
  {
    commonName: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    organizationUnit: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    organization: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    location: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    state: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    country: Type.Optional(Type.String({ minLength: 2, maxLength: 2 })),
  },
  { additionalProperties: false },
);
export type KeyringSubject = Static<typeof KeyringSubject>;

/** One generation of a keyring key as its certificate shows it. */
export const KeyringCertificate = Type.Object({
  /** PEM `CERTIFICATE`. */
  certificate: Type.String(),
  issuedAt: Type.Date(),
  expiresAt: Type.Date(),
  /** The Custos key id (a partner certificate has none: its keyring entry's id). */
  keyId: Type.String(),
  /** Upper-case hex SHA-256 of the certificate's DER (MOSIP `cert_thumbprint`). */
  thumbprint: Type.String(),
  /** MOSIP `uni_ident`: upper-case hex SHA-1. */
  uniqueIdentifier: Type.String(),
});
export type KeyringCertificate = Static<typeof KeyringCertificate>;
