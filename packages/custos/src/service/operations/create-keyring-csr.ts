// CreateKeyringCsr (Custos, MOSIP key manager): not yet implemented. Must not import api.
import { UnsupportedError, createKeyringCsrOperation } from '@custos/contract';
import { defineOperation } from '../define-operation.js';

export const createKeyringCsr = defineOperation(
  createKeyringCsrOperation,
  { access: 'manage', states: null },
  (_ctx, _input) => Promise.reject(new UnsupportedError('CreateKeyringCsr is not implemented yet')),
);
