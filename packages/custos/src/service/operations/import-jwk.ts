// ImportJwk: a private JWK imported in plaintext (origin EXTERNAL), unless the server's allowPlaintextImport is off.
// The audit record names the spec and alg, never a member of the JWK. Must not import api.
import { UnsupportedError, importJwkOperation } from '@custos/contract';
import { importPrivateJwk } from '../../core/jose/import-jwk.js';
import { defineOperation } from '../define-operation.js';
import { insertJwkKey } from '../jose/insert-key.js';

export const importJwk = defineOperation(importJwkOperation, { access: 'manage', states: null }, async (ctx, input) => {
  if (!ctx.config.allowPlaintextImport)
    throw new UnsupportedError('this server does not accept plaintext key import (allowPlaintextImport is off)');
  const { choice, key } = importPrivateJwk(input.jwk, input.alg);
  return insertJwkKey(ctx, choice, key, 'EXTERNAL', input);
});
