// SignJose: the JOSE-form signature of a message (the jwk facade's sign). Must not import api.
import { signJoseOperation } from '@custos/contract';
import { defineOperation } from '../define-operation.js';
import { joseSign } from '../jose/sign-with-key.js';
import { loadKey } from '../key-loading.js';
import { USABLE } from '../lifecycle.js';

export const signJose = defineOperation(signJoseOperation, { access: 'use', states: USABLE }, async (ctx, input) => {
  const key = await loadKey(ctx, ctx.store.db, input.keyId);
  return joseSign(ctx, key, input.alg, input.message);
});
