// DeleteKeyringPolicy (Custos, MOSIP key manager): not yet implemented. Must not import api.
import { UnsupportedError, deleteKeyringPolicyOperation } from '@custos/contract';
import { defineOperation } from '../define-operation.js';

export const deleteKeyringPolicy = defineOperation(
  deleteKeyringPolicyOperation,
  { access: 'manage', states: null },
  (_ctx, _input) => Promise.reject(new UnsupportedError('DeleteKeyringPolicy is not implemented yet')),
);
