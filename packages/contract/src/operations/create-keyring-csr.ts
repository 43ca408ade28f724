// CreateKeyringCsr (Custos, MOSIP generateCSR): a PKCS#10 request for a keyring's current key, for an external CA.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.
import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { ApplicationId, KeyringSubject, ReferenceId } from '../schemas/keyrings.js';

/** CreateKeyringCsr request. */
export const CreateKeyringCsrRequest = Type.Object(
  { applicationId: ApplicationId, referenceId: Type.Optional(ReferenceId), subject: Type.Optional(KeyringSubject) },
  { additionalProperties: false },
);
export type CreateKeyringCsrRequest = Static<typeof CreateKeyringCsrRequest>;

/** CreateKeyringCsr response. */
export const CreateKeyringCsrResponse = Type.Object({
  /** PEM `CERTIFICATE REQUEST`. */
  csr: Type.String(),
  issuedAt: Type.Date(),
  expiresAt: Type.Date(),
});
export type CreateKeyringCsrResponse = Static<typeof CreateKeyringCsrResponse>;

/** The CreateKeyringCsr operation: POST /v1/keyrings/:applicationId/csr (Custos only). */
export const createKeyringCsrOperation = contractOperation({
  method: 'createKeyringCsr',
  name: 'CreateKeyringCsr',
  request: CreateKeyringCsrRequest,
  response: CreateKeyringCsrResponse,
  route: { method: 'POST', path: '/v1/keyrings/:applicationId/csr' },
  safeToRetry: true, // a signature over the current key: no state but the audit log
  aws: false,
});
