// UploadPartnerCertificate (Custos, MOSIP uploadOtherDomainCertificate): a partner's certificate, with no private
// key here; keyring encryption for that keyring then uses it. Must not import anything but TypeBox and schemas.
import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import type { EmptyObject } from '../schemas/common.js';
import { Pem } from '../schemas/certificates.js';
import { ApplicationId, ReferenceId } from '../schemas/keyrings.js';

/** UploadPartnerCertificate request. */
export const UploadPartnerCertificateRequest = Type.Object(
  { applicationId: ApplicationId, referenceId: Type.Optional(ReferenceId), certificate: Pem },
  { additionalProperties: false },
);
export type UploadPartnerCertificateRequest = Static<typeof UploadPartnerCertificateRequest>;

/** UploadPartnerCertificate response. */
export const UploadPartnerCertificateResponse = Type.Object({});
export type UploadPartnerCertificateResponse = EmptyObject;

/** The UploadPartnerCertificate operation: POST /v1/keyrings/:applicationId/partner-certificate (Custos only). */
export const uploadPartnerCertificateOperation = contractOperation({
  method: 'uploadPartnerCertificate',
  name: 'UploadPartnerCertificate',
  request: UploadPartnerCertificateRequest,
  response: UploadPartnerCertificateResponse,
  route: { method: 'POST', path: '/v1/keyrings/:applicationId/partner-certificate' },
  safeToRetry: true, // the same certificate again is found by its thumbprint and not stored twice
  aws: false,
});
