// GenerateJwkKeyPair: a new key named by its JOSE algorithm (the jwk facade's generateKeyPair). Must not import api.
import { generateJwkKeyPairOperation } from '@custos/contract';
import { joseKeyChoice } from '../../core/jose/algorithms.js';
import { generateKeyMaterial } from '../../core/key-material.js';
import { defineOperation } from '../define-operation.js';
import { insertJwkKey } from '../jose/insert-key.js';

export const generateJwkKeyPair = defineOperation(
  generateJwkKeyPairOperation,
  { access: 'manage', states: null },
  async (ctx, input) => {
    const choice = joseKeyChoice(input.alg);
    return insertJwkKey(ctx, choice, await generateKeyMaterial(choice.spec), 'AWS_KMS', input);
  },
);
