// GetKeyringCertificate (Custos, MOSIP key manager): not yet implemented. Must not import api.
import { UnsupportedError, getKeyringCertificateOperation } from '@custos/contract';
import { defineOperation } from '../define-operation.js';

export const getKeyringCertificate = defineOperation(
  getKeyringCertificateOperation,
  { access: 'read', states: null },
  (_ctx, _input) => Promise.reject(new UnsupportedError('GetKeyringCertificate is not implemented yet')),
);
