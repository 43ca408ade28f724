// GetKeyringCertificate (Custos, MOSIP getCertificate): the certificate of a keyring's current key, generating the
// key on first use when the policy allows. Must not import anything but TypeBox and the contract's schemas.
import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { ApplicationId, KeyringCertificate, ReferenceId } from '../schemas/keyrings.js';

/** GetKeyringCertificate request. */
export const GetKeyringCertificateRequest = Type.Object(
  { applicationId: ApplicationId, referenceId: Type.Optional(ReferenceId) },
  { additionalProperties: false },
);
export type GetKeyringCertificateRequest = Static<typeof GetKeyringCertificateRequest>;

/** GetKeyringCertificate response. */
export const GetKeyringCertificateResponse = KeyringCertificate;
export type GetKeyringCertificateResponse = Static<typeof GetKeyringCertificateResponse>;

/** The GetKeyringCertificate operation: GET /v1/keyrings/:applicationId/certificate (Custos only). */
export const getKeyringCertificateOperation = contractOperation({
  method: 'getKeyringCertificate',
  name: 'GetKeyringCertificate',
  request: GetKeyringCertificateRequest,
  response: GetKeyringCertificateResponse,
  route: { method: 'GET', path: '/v1/keyrings/:applicationId/certificate' },
  safeToRetry: true, // a repeat finds the key the first call generated
  aws: false,
});
