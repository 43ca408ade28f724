// ListKeyringPolicies (Custos, MOSIP key manager): not yet implemented. Must not import api.
import { UnsupportedError, listKeyringPoliciesOperation } from '@custos/contract';
import { defineOperation } from '../define-operation.js';

export const listKeyringPolicies = defineOperation(
  listKeyringPoliciesOperation,
  { access: 'read', states: null },
  (_ctx, _input) => Promise.reject(new UnsupportedError('ListKeyringPolicies is not implemented yet')),
);
