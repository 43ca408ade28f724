// VerifyJose: checks a JOSE-form signature (the jwk facade's verify); a bad signature is `valid: false`.
import { verifyJoseOperation } from '@custos/contract';
import { verify as verifySignature } from '../../core/algorithms/signature.js';
import { fromJoseSignature } from '../../core/jose/algorithms.js';
import { defineOperation } from '../define-operation.js';
import { publicKeyOf } from '../jose/jwk-of.js';
import { joseAlgorithmOf } from '../jose/sign-with-key.js';
import { checkUse, loadKey } from '../key-loading.js';
import { USABLE } from '../lifecycle.js';

export const verifyJose = defineOperation(
  verifyJoseOperation,
  { access: 'use', states: USABLE },
  async (ctx, input) => {
    const key = await loadKey(ctx, ctx.store.db, input.keyId);
    const { spec, alg, algorithm } = joseAlgorithmOf(key, input.alg);
    checkUse(ctx, key, 'SIGN_VERIFY', algorithm, false);
    ctx.audit.details = { alg };
    const signature = fromJoseSignature(spec, input.signature);
    if (signature === undefined) return { valid: false };
    const publicKey = await publicKeyOf(ctx, key);
    return { valid: verifySignature(spec, algorithm, publicKey, input.message, 'RAW', signature) };
  },
);
