// KeyringEncrypt (Custos, MOSIP key manager): MOSIP hybrid encryption for a keyring. Must not import api; the logic lives in service/keyrings/.
import { keyringEncryptOperation } from '@custos/contract';
import { defineOperation } from '../define-operation.js';
import { keyringEncrypt as encrypt } from '../keyrings/crypto.js';

export const keyringEncrypt = defineOperation(
  keyringEncryptOperation,
  { access: 'use', states: null },
  async (ctx, input) => ({ ciphertext: await encrypt(ctx, input) }),
);
