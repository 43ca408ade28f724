// GenerateKeyringMasterKey (Custos, MOSIP key manager): not yet implemented. Must not import api.
import { UnsupportedError, generateKeyringMasterKeyOperation } from '@custos/contract';
import { defineOperation } from '../define-operation.js';

export const generateKeyringMasterKey = defineOperation(
  generateKeyringMasterKeyOperation,
  { access: 'manage', states: null },
  (_ctx, _input) => Promise.reject(new UnsupportedError('GenerateKeyringMasterKey is not implemented yet')),
);
