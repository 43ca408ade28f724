// GenerateKeyringSymmetricKey (Custos, MOSIP key manager): not yet implemented. Must not import api.
import { UnsupportedError, generateKeyringSymmetricKeyOperation } from '@custos/contract';
import { defineOperation } from '../define-operation.js';

export const generateKeyringSymmetricKey = defineOperation(
  generateKeyringSymmetricKeyOperation,
  { access: 'manage', states: null },
  (_ctx, _input) => Promise.reject(new UnsupportedError('GenerateKeyringSymmetricKey is not implemented yet')),
);
