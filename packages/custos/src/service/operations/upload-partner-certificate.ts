// UploadPartnerCertificate (Custos, MOSIP key manager): not yet implemented. Must not import api.
import { UnsupportedError, uploadPartnerCertificateOperation } from '@custos/contract';
import { defineOperation } from '../define-operation.js';

export const uploadPartnerCertificate = defineOperation(
  uploadPartnerCertificateOperation,
  { access: 'manage', states: null },
  (_ctx, _input) => Promise.reject(new UnsupportedError('UploadPartnerCertificate is not implemented yet')),
);
