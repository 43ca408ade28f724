// GetKeyringPolicy (Custos, MOSIP key manager): not yet implemented. Must not import api.
import { UnsupportedError, getKeyringPolicyOperation } from '@custos/contract';
import { defineOperation } from '../define-operation.js';

export const getKeyringPolicy = defineOperation(
  getKeyringPolicyOperation,
  { access: 'read', states: null },
  (_ctx, _input) => Promise.reject(new UnsupportedError('GetKeyringPolicy is not implemented yet')),
);
