// CreateCsr (Custos): a PKCS#10 certification request for an asymmetric signing key, signed by the key in Custos.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { KeyIdString, SigningAlgorithmSchema } from '../schemas/common.js';
import { SubjectAltNames, SubjectName } from '../schemas/certificates.js';

/** CreateCsr request. */
export const CreateCsrRequest = Type.Object(
  {
    keyId: KeyIdString,
    subject: SubjectName,
    subjectAltNames: Type.Optional(SubjectAltNames),
    /** Default: the key's spec's usual algorithm (RSA PKCS#1 v1.5 SHA-256, ECDSA with the curve's hash, Ed25519). */
    signingAlgorithm: Type.Optional(SigningAlgorithmSchema),
  },
  { additionalProperties: false },
);
export type CreateCsrRequest = Static<typeof CreateCsrRequest>;

/** CreateCsr response. */
export const CreateCsrResponse = Type.Object({
  keyId: Type.String(),
  /** PEM `CERTIFICATE REQUEST`. */
  csr: Type.String(),
});
export type CreateCsrResponse = Static<typeof CreateCsrResponse>;

/** The CreateCsr operation: POST /v1/keys/:keyId/csr (Custos only). */
export const createCsrOperation = contractOperation({
  method: 'createCsr',
  name: 'CreateCsr',
  request: CreateCsrRequest,
  response: CreateCsrResponse,
  route: { method: 'POST', path: '/v1/keys/:keyId/csr' },
  safeToRetry: true, // a signature: a fresh result, no state but the audit log and use counts
  aws: false,
});
