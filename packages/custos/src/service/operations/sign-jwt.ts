// SignJwt: a JWT with iat (and exp) set by Custos, kid and alg the key's, typ JWT. Must not import api.
import { signJwtOperation } from '@custos/contract';
import { compactJws, jwsHeader, signingInput } from '../../core/jose/jws.js';
import { defineOperation } from '../define-operation.js';
import { joseAlgorithmOf, joseSign } from '../jose/sign-with-key.js';
import { loadKey } from '../key-loading.js';
import { USABLE } from '../lifecycle.js';

export const signJwt = defineOperation(signJwtOperation, { access: 'use', states: USABLE }, async (ctx, input) => {
  const key = await loadKey(ctx, ctx.store.db, input.keyId);
  const { alg } = joseAlgorithmOf(key, undefined);
  const iat = Math.floor(ctx.now().getTime() / 1000);
  const claims = { ...input.claims, iat, ...(input.expiresIn !== undefined ? { exp: iat + input.expiresIn } : {}) };
  const parts = signingInput(
    jwsHeader({ typ: 'JWT' }, { alg, kid: key.id }),
    new TextEncoder().encode(JSON.stringify(claims)),
  );
  const { signature } = await joseSign(ctx, key, alg, parts.input);
  return { jwt: compactJws(parts, signature, false) };
});
