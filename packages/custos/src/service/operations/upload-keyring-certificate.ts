// UploadKeyringCertificate (Custos, MOSIP key manager): not yet implemented. Must not import api.
import { UnsupportedError, uploadKeyringCertificateOperation } from '@custos/contract';
import { defineOperation } from '../define-operation.js';

export const uploadKeyringCertificate = defineOperation(
  uploadKeyringCertificateOperation,
  { access: 'manage', states: null },
  (_ctx, _input) => Promise.reject(new UnsupportedError('UploadKeyringCertificate is not implemented yet')),
);
