// UploadKeyringCertificate (Custos, MOSIP uploadCertificate): an external CA's certificate for a keyring's current
// key (after CreateKeyringCsr); its public key must be the key's. Must not import anything but TypeBox and schemas.
import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import type { EmptyObject } from '../schemas/common.js';
import { Pem } from '../schemas/certificates.js';
import { ApplicationId, ReferenceId } from '../schemas/keyrings.js';

/** UploadKeyringCertificate request. */
export const UploadKeyringCertificateRequest = Type.Object(
  { applicationId: ApplicationId, referenceId: Type.Optional(ReferenceId), certificate: Pem },
  { additionalProperties: false },
);
export type UploadKeyringCertificateRequest = Static<typeof UploadKeyringCertificateRequest>;

/** UploadKeyringCertificate response. */
export const UploadKeyringCertificateResponse = Type.Object({});
export type UploadKeyringCertificateResponse = EmptyObject;

/** The UploadKeyringCertificate operation: POST /v1/keyrings/:applicationId/certificate (Custos only). */
export const uploadKeyringCertificateOperation = contractOperation({
  method: 'uploadKeyringCertificate',
  name: 'UploadKeyringCertificate',
  request: UploadKeyringCertificateRequest,
  response: UploadKeyringCertificateResponse,
  route: { method: 'POST', path: '/v1/keyrings/:applicationId/certificate' },
  safeToRetry: true, // storing the same certificate again changes nothing
  aws: false,
});
