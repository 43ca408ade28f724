// GetJwk: an asymmetric key's public JWK (kid, kty, crv, alg, key_ops, x5c when it has a certificate).
import { getJwkOperation } from '@custos/contract';
import { defineOperation } from '../define-operation.js';
import { publicJwkOf } from '../jose/jwk-of.js';
import { loadKey } from '../key-loading.js';
import { USABLE } from '../lifecycle.js';

/** Readable by key administrators too, as GetPublicKey, while the key is Enabled. */
export const getJwk = defineOperation(getJwkOperation, { access: 'read', states: USABLE }, async (ctx, input) => {
  const key = await loadKey(ctx, ctx.store.db, input.keyId);
  ctx.audit.keyVersion = key.latestVersion;
  return { jwk: await publicJwkOf(ctx, key) };
});
