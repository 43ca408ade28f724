// CreateSelfSignedCertificate (Custos): a self-signed certificate of an asymmetric signing key, signed by the key in
// Custos, stored as the key's certificate (a CA root when `isCa`).
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { KeyIdString, SigningAlgorithmSchema } from '../schemas/common.js';
import { PathLength, SubjectAltNames, SubjectName, Thumbprints, ValidityDays } from '../schemas/certificates.js';

/** CreateSelfSignedCertificate request. */
export const CreateSelfSignedCertificateRequest = Type.Object(
  {
    keyId: KeyIdString,
    subject: SubjectName,
    validityDays: ValidityDays,
    /** A CA certificate (basicConstraints cA, keyUsage keyCertSign and cRLSign); default false. */
    isCa: Type.Optional(Type.Boolean()),
    /** A CA's pathLenConstraint; absent: unlimited. Only with `isCa`. */
    pathLength: Type.Optional(PathLength),
    subjectAltNames: Type.Optional(SubjectAltNames),
    /** Default: the key's spec's usual algorithm. */
    signingAlgorithm: Type.Optional(SigningAlgorithmSchema),
  },
  { additionalProperties: false },
);
export type CreateSelfSignedCertificateRequest = Static<typeof CreateSelfSignedCertificateRequest>;

/** CreateSelfSignedCertificate response. */
export const CreateSelfSignedCertificateResponse = Type.Object({
  keyId: Type.String(),
  /** The PEM certificate. */
  certificate: Type.String(),
  thumbprints: Thumbprints,
});
export type CreateSelfSignedCertificateResponse = Static<typeof CreateSelfSignedCertificateResponse>;

/** The CreateSelfSignedCertificate operation: POST /v1/keys/:keyId/certificate/self-signed (Custos only). */
export const createSelfSignedCertificateOperation = contractOperation({
  method: 'createSelfSignedCertificate',
  name: 'CreateSelfSignedCertificate',
  request: CreateSelfSignedCertificateRequest,
  response: CreateSelfSignedCertificateResponse,
  route: { method: 'POST', path: '/v1/keys/:keyId/certificate/self-signed' },
  safeToRetry: true, // a repeat replaces the key's certificate with an equivalent one (a new serial)
  aws: false,
});
