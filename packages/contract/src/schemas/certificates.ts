// The schemas the certificate and trust store operations share: PEM texts, chains, thumbprints, subjects, trust
// anchors and the reasons a chain fails. Must not import anything but TypeBox and the contract's names and schemas.
import { type Static, Type } from '@sinclair/typebox';
import { literalUnion } from './common.js';

/** One PEM text: a certificate (`CERTIFICATE`) or a certification request (`CERTIFICATE REQUEST`). */
export const Pem = Type.String({ minLength: 1, maxLength: 65536 });

/** A certificate chain, leaf first, each a PEM certificate (at most 10: a deeper hierarchy is a mistake). */
export const CertificateChain = Type.Array(Pem, { minItems: 1, maxItems: 10 });

/** An X.500 name as RFC 4514 text, e.g. `CN=orders,O=Acme`. */
export const SubjectName = Type.String({ minLength: 3, maxLength: 1024 });

/**
 * Subject alternative names as OpenSSL spells them: `DNS:orders.example`, `IP:10.0.0.1`, `email:ops@example`,
 * `URI:https://example`; a name without a prefix is a DNS name.
 */
export const SubjectAltNames = Type.Array(Type.String({ minLength: 1, maxLength: 1024 }), { maxItems: 100 });

/** Validity of a new certificate in days from now (up to about 100 years). */
export const ValidityDays = Type.Integer({ minimum: 1, maximum: 36500 });

/** basicConstraints pathLenConstraint: how many CA certificates may follow below this one. */
export const PathLength = Type.Integer({ minimum: 0, maximum: 16 });

/** A trust store domain: anchors are pinned per domain (default `default`). */
export const TrustDomain = Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9._-]+$' });

/** Thumbprints of a certificate's DER encoding, lower-case hex. */
export const Thumbprints = Type.Object({
  sha1: Type.String(),
  sha256: Type.String(),
});
export type Thumbprints = Static<typeof Thumbprints>;

/** A trust anchor as the trust store shows it. */
export const TrustedCertificate = Type.Object({
  id: Type.String(),
  subject: Type.String(),
  issuer: Type.String(),
  notBefore: Type.Date(),
  notAfter: Type.Date(),
  /** SHA-256 of the certificate's DER, lower-case hex. */
  thumbprint: Type.String(),
  domain: Type.String(),
  createdAt: Type.Date(),
  /** The PEM certificate. */
  certificate: Type.String(),
});
export type TrustedCertificate = Static<typeof TrustedCertificate>;

/** Why a chain does not verify: stable codes to branch on (the `detail` text may change). */
export const CHAIN_FAILURES = [
  /** A certificate or the chain cannot be parsed. */
  'MALFORMED',
  /** No path from the leaf to a trust anchor of the domain (an unpinned root, a missing intermediate, a bad signature). */
  'UNTRUSTED',
  /** A certificate on the path is past its notAfter. */
  'EXPIRED',
  /** A certificate on the path is before its notBefore. */
  'NOT_YET_VALID',
  /** An issuer on the path is not a CA (basicConstraints cA) or may not sign certificates (keyUsage keyCertSign). */
  'NOT_A_CA',
  /** More CA certificates below an issuer than its pathLenConstraint allows. */
  'PATH_LENGTH_EXCEEDED',
] as const;
export type ChainFailure = (typeof CHAIN_FAILURES)[number];
export const ChainFailureSchema = literalUnion(CHAIN_FAILURES);

/** One certificate of a verified path. */
export const PathElement = Type.Object({
  subject: Type.String(),
  issuer: Type.String(),
  /** SHA-256 of the certificate's DER, lower-case hex. */
  thumbprint: Type.String(),
});
export type PathElement = Static<typeof PathElement>;
