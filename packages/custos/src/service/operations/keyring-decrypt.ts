// KeyringDecrypt (Custos, MOSIP key manager): MOSIP hybrid decryption with a keyring. Must not import api; the logic lives in service/keyrings/.
import { keyringDecryptOperation } from '@custos/contract';
import { defineOperation } from '../define-operation.js';
import { keyringDecrypt as decrypt } from '../keyrings/crypto.js';

export const keyringDecrypt = defineOperation(
  keyringDecryptOperation,
  { access: 'use', states: null },
  async (ctx, input) => ({ plaintext: await decrypt(ctx, input) }),
);
