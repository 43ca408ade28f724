// SignJws: a compact JWS signed in Custos; alg and kid are the key's, x5c its certificate chain when asked.
import { ValidationError, signJwsOperation } from '@custos/contract';
import { base64url } from 'jose';
import { compactJws, jwsHeader, signingInput } from '../../core/jose/jws.js';
import { defineOperation } from '../define-operation.js';
import { x5cOf } from '../jose/jwk-of.js';
import { joseAlgorithmOf, joseSign } from '../jose/sign-with-key.js';
import { loadKey } from '../key-loading.js';
import { USABLE } from '../lifecycle.js';

export const signJws = defineOperation(signJwsOperation, { access: 'use', states: USABLE }, async (ctx, input) => {
  const key = await loadKey(ctx, ctx.store.db, input.keyId);
  const requested = input.protectedHeader?.alg;
  if (requested !== undefined && typeof requested !== 'string')
    throw new ValidationError('the protected header alg must be a string');
  // A header alg may pick one of several the key allows (an unconstrained RSA key), never override the key's own.
  const { alg } = joseAlgorithmOf(key, requested, { refuseOverride: true });
  const x5c = input.includeX5c === true ? await x5cOf(ctx, key) : undefined;
  if (input.includeX5c === true && x5c === undefined)
    throw new ValidationError('the key has no certificate chain for x5c', 'VALIDATION_ERROR');
  const header = jwsHeader(input.protectedHeader, { alg, kid: key.id, ...(x5c ? { x5c } : {}) });
  const parts = signingInput(header, base64url.decode(input.payload));
  const { signature } = await joseSign(ctx, key, alg, parts.input);
  return { jws: compactJws(parts, signature, input.detached === true) };
});
