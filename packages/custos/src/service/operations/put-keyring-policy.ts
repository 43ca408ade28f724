// PutKeyringPolicy (Custos, MOSIP key manager): not yet implemented. Must not import api.
import { UnsupportedError, putKeyringPolicyOperation } from '@custos/contract';
import { defineOperation } from '../define-operation.js';

export const putKeyringPolicy = defineOperation(
  putKeyringPolicyOperation,
  { access: 'manage', states: null },
  (_ctx, _input) => Promise.reject(new UnsupportedError('PutKeyringPolicy is not implemented yet')),
);
