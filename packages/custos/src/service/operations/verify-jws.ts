// VerifyJws: checks a compact JWS or JWT with jose against the key its kid names (a detached payload may be given);
// a tampered one is `valid: false`, an unknown kid KEY_NOT_FOUND. Must not import api.
import { ValidationError, verifyJwsOperation } from '@custos/contract';
import { jwsProtectedHeader, verifyCompactJws } from '../../core/jose/jws.js';
import { answeredWithoutKey } from '../authz/authorize-key.js';
import { defineOperation } from '../define-operation.js';
import { publicKeyObjectOf } from '../jose/jwk-of.js';
import { joseAlgorithmOf } from '../jose/sign-with-key.js';
import { checkUse, loadKey } from '../key-loading.js';
import { USABLE } from '../lifecycle.js';

export const verifyJws = defineOperation(verifyJwsOperation, { access: 'use', states: USABLE }, async (ctx, input) => {
  const header = jwsProtectedHeader(input.jws);
  if (header === undefined) {
    answeredWithoutKey(ctx); // no key named: nothing to authorise, nothing revealed
    return { valid: false };
  }
  if (typeof header.kid !== 'string' || header.kid === '')
    throw new ValidationError('the JWS header names no kid', 'VALIDATION_ERROR');
  const key = await loadKey(ctx, ctx.store.db, header.kid);
  let expected: ReturnType<typeof joseAlgorithmOf>;
  try {
    expected = joseAlgorithmOf(key, typeof header.alg === 'string' ? header.alg : undefined);
  } catch (error) {
    if (error instanceof ValidationError) return { valid: false }; // an alg the key cannot have signed with
    throw error;
  }
  checkUse(ctx, key, 'SIGN_VERIFY', expected.algorithm, false);
  ctx.audit.details = { alg: expected.alg };
  const verdict = await verifyCompactJws(input.jws, await publicKeyObjectOf(ctx, key), expected.alg, input.payload);
  return verdict.valid ? verdict : { valid: false };
});
