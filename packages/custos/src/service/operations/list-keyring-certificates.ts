// ListKeyringCertificates (Custos, MOSIP key manager): not yet implemented. Must not import api.
import { UnsupportedError, listKeyringCertificatesOperation } from '@custos/contract';
import { defineOperation } from '../define-operation.js';

export const listKeyringCertificates = defineOperation(
  listKeyringCertificatesOperation,
  { access: 'read', states: null },
  (_ctx, _input) => Promise.reject(new UnsupportedError('ListKeyringCertificates is not implemented yet')),
);
