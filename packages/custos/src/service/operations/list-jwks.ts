// ListJwks: a JWK Set of the enabled asymmetric keys, optionally those with a tag or of a keyring.
import { ValidationError, listJwksOperation, type Jwk } from '@custos/contract';
import { specEntry } from '../../core/key-specs.js';
import * as repo from '../../store/repositories/index.js';
import type { ServiceContext } from '../context.js';
import { defineOperation } from '../define-operation.js';
import { publicJwkOf } from '../jose/jwk-of.js';

/**
 * The public JWKs of the keys `filter` selects (at most repo.keys.MAX_JWKS_KEYS), symmetric keys left out. Also
 * what GET /.well-known/jwks.json serves, with `published: true`.
 */
export async function jwksOf(ctx: ServiceContext, filter: repo.keys.JwksFilter): Promise<Jwk[]> {
  const keys = await repo.keys.listForJwks(ctx.store.db, filter);
  const asymmetric = keys.filter((key) => specEntry(key.spec).family.material !== 'raw');
  return Promise.all(asymmetric.map((key) => publicJwkOf(ctx, key)));
}

export const listJwks = defineOperation(listJwksOperation, { access: 'read', states: null }, async (ctx, input) => {
  if (input.tagValue !== undefined && input.tagKey === undefined) throw new ValidationError('tagValue needs tagKey');
  if (input.referenceId !== undefined && input.applicationId === undefined)
    throw new ValidationError('referenceId needs applicationId');
  return {
    keys: await jwksOf(ctx, {
      ...(input.tagKey !== undefined ? { tagKey: input.tagKey } : {}),
      ...(input.tagValue !== undefined ? { tagValue: input.tagValue } : {}),
      ...(input.applicationId !== undefined ? { applicationId: input.applicationId } : {}),
      ...(input.referenceId !== undefined ? { referenceId: input.referenceId } : {}),
    }),
  };
});
