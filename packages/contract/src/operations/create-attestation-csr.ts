// CreateAttestationCsr (Custos): a PKCS#10 request for the attestation identity's key, for an operator's CA.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { SubjectName } from '../schemas/certificates.js';

/** CreateAttestationCsr request. */
export const CreateAttestationCsrRequest = Type.Object(
  {
    /** Default `CN=Custos attestation`. */
    subject: Type.Optional(SubjectName),
  },
  { additionalProperties: false },
);
export type CreateAttestationCsrRequest = Static<typeof CreateAttestationCsrRequest>;

/** CreateAttestationCsr response. */
export const CreateAttestationCsrResponse = Type.Object({
  /** PEM `CERTIFICATE REQUEST`, signed by the attestation key. */
  csr: Type.String(),
});
export type CreateAttestationCsrResponse = Static<typeof CreateAttestationCsrResponse>;

/** The CreateAttestationCsr operation: POST /v1/attestation/csr (Custos only). */
export const createAttestationCsrOperation = contractOperation({
  method: 'createAttestationCsr',
  name: 'CreateAttestationCsr',
  request: CreateAttestationCsrRequest,
  response: CreateAttestationCsrResponse,
  route: { method: 'POST', path: '/v1/attestation/csr' },
  safeToRetry: true, // a signature: no state but the audit log
  aws: false,
});
