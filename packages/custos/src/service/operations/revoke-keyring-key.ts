// RevokeKeyringKey (Custos, MOSIP key manager): not yet implemented. Must not import api.
import { UnsupportedError, revokeKeyringKeyOperation } from '@custos/contract';
import { defineOperation } from '../define-operation.js';

export const revokeKeyringKey = defineOperation(
  revokeKeyringKeyOperation,
  { access: 'manage', states: null },
  (_ctx, _input) => Promise.reject(new UnsupportedError('RevokeKeyringKey is not implemented yet')),
);
