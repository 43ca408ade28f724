// ListKeyringCertificates (Custos, MOSIP getAllCertificates): every generation's certificate, newest first.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.
import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { ApplicationId, KeyringCertificate, ReferenceId } from '../schemas/keyrings.js';

/** ListKeyringCertificates request. */
export const ListKeyringCertificatesRequest = Type.Object(
  { applicationId: ApplicationId, referenceId: Type.Optional(ReferenceId) },
  { additionalProperties: false },
);
export type ListKeyringCertificatesRequest = Static<typeof ListKeyringCertificatesRequest>;

/** ListKeyringCertificates response. */
export const ListKeyringCertificatesResponse = Type.Object({ certificates: Type.Array(KeyringCertificate) });
export type ListKeyringCertificatesResponse = Static<typeof ListKeyringCertificatesResponse>;

/** The ListKeyringCertificates operation: GET /v1/keyrings/:applicationId/certificates (Custos only). */
export const listKeyringCertificatesOperation = contractOperation({
  method: 'listKeyringCertificates',
  name: 'ListKeyringCertificates',
  request: ListKeyringCertificatesRequest,
  response: ListKeyringCertificatesResponse,
  route: { method: 'GET', path: '/v1/keyrings/:applicationId/certificates' },
  safeToRetry: true, // a read
  aws: false,
});
