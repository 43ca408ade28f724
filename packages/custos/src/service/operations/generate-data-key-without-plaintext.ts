// GenerateDataKeyWithoutPlaintext: a fresh data key, returned only encrypted under a symmetric key.
// Must not import api.
import { generateDataKeyWithoutPlaintextOperation } from '@custos/contract';
import { defineOperation } from '../define-operation.js';
import { USABLE } from '../lifecycle.js';
import { makeDataKey } from './generate-data-key.js';

export const generateDataKeyWithoutPlaintext = defineOperation(
  generateDataKeyWithoutPlaintextOperation,
  { access: 'use', states: USABLE },
  async (ctx, input) => {
    const { plaintext, ...rest } = await makeDataKey(ctx, input);
    plaintext.fill(0);
    return rest;
  },
);
