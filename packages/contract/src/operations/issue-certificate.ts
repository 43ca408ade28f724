// IssueCertificate (Custos): Custos as a CA. Signs a CSR (its signature checked first) with a key whose own
// certificate is a CA certificate; the issued certificate's issuer is that certificate's subject.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { KeyIdString, SigningAlgorithmSchema } from '../schemas/common.js';
import { Pem, PathLength, Thumbprints, ValidityDays } from '../schemas/certificates.js';

/** IssueCertificate request. */
export const IssueCertificateRequest = Type.Object(
  {
    /** The issuing (CA) key. */
    keyId: KeyIdString,
    /** PEM `CERTIFICATE REQUEST`: its subject, public key and subjectAltName extension are carried over. */
    csr: Pem,
    validityDays: ValidityDays,
    /** Issue a CA certificate; default false. */
    isCa: Type.Optional(Type.Boolean()),
    /** The issued CA's pathLenConstraint; only with `isCa`. */
    pathLength: Type.Optional(PathLength),
    /** Default: the issuing key's spec's usual algorithm. */
    signingAlgorithm: Type.Optional(SigningAlgorithmSchema),
  },
  { additionalProperties: false },
);
export type IssueCertificateRequest = Static<typeof IssueCertificateRequest>;

/** IssueCertificate response. */
export const IssueCertificateResponse = Type.Object({
  keyId: Type.String(),
  /** The issued PEM certificate. */
  certificate: Type.String(),
  /** The issued certificate followed by the issuing key's chain: what the subject sets as its own chain. */
  certificateChain: Type.Array(Type.String()),
  thumbprints: Thumbprints,
});
export type IssueCertificateResponse = Static<typeof IssueCertificateResponse>;

/** The IssueCertificate operation: POST /v1/keys/:keyId/certificates/issue (Custos only). */
export const issueCertificateOperation = contractOperation({
  method: 'issueCertificate',
  name: 'IssueCertificate',
  request: IssueCertificateRequest,
  response: IssueCertificateResponse,
  route: { method: 'POST', path: '/v1/keys/:keyId/certificates/issue' },
  safeToRetry: true, // a signature: a repeat issues a second certificate for the same request, changing no state
  aws: false,
});
