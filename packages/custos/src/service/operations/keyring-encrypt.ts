// KeyringEncrypt (Custos, MOSIP key manager): not yet implemented. Must not import api.
import { UnsupportedError, keyringEncryptOperation } from '@custos/contract';
import { defineOperation } from '../define-operation.js';

export const keyringEncrypt = defineOperation(
  keyringEncryptOperation,
  { access: 'use', states: null },
  (_ctx, _input) => Promise.reject(new UnsupportedError('KeyringEncrypt is not implemented yet')),
);
