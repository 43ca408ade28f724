// KeyringDecrypt (Custos, MOSIP key manager): not yet implemented. Must not import api.
import { UnsupportedError, keyringDecryptOperation } from '@custos/contract';
import { defineOperation } from '../define-operation.js';

export const keyringDecrypt = defineOperation(
  keyringDecryptOperation,
  { access: 'use', states: null },
  (_ctx, _input) => Promise.reject(new UnsupportedError('KeyringDecrypt is not implemented yet')),
);
