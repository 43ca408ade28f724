// GenerateDataKeyPairWithoutPlaintext: a fresh key pair whose private key is returned only encrypted.
// Must not import api.
import { generateDataKeyPairWithoutPlaintextOperation } from '@custos/contract';
import { defineOperation } from '../define-operation.js';
import { USABLE } from '../lifecycle.js';
import { makePair } from './generate-data-key-pair.js';

export const generateDataKeyPairWithoutPlaintext = defineOperation(
  generateDataKeyPairWithoutPlaintextOperation,
  { access: 'use', states: USABLE },
  async (ctx, input) => {
    const { privateKeyPlaintext, ...rest } = await makePair(ctx, input);
    privateKeyPlaintext.fill(0);
    return rest;
  },
);
