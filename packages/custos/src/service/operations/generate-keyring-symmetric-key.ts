// GenerateKeyringSymmetricKey (Custos, MOSIP key manager): an AES-256 key in a keyring. Must not import api; the logic lives in service/keyrings/.
import { generateKeyringSymmetricKeyOperation } from '@custos/contract';
import { defineOperation } from '../define-operation.js';
import { ringOf } from '../keyrings/rings.js';
import { generateKeyringSymmetricKey as generate } from '../keyrings/symmetric.js';

export const generateKeyringSymmetricKey = defineOperation(
  generateKeyringSymmetricKeyOperation,
  { access: 'manage', states: null },
  (ctx, input) => generate(ctx, ringOf(input), input.force === true),
);
