// GenerateRandom: bytes from the CSPRNG.
import { generateRandomOperation } from '@custos/contract';
import { randomBytes } from 'node:crypto';
import { defineOperation } from '../define-operation.js';

export const generateRandom = defineOperation(
  generateRandomOperation,
  { access: 'use', states: null },
  async (_ctx, input) => {
    return { plaintext: new Uint8Array(randomBytes(input.numberOfBytes)) };
  },
);
