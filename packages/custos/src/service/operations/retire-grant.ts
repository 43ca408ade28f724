// RetireGrant: deletes a grant named by its token, or by key and grant id, for its retiring principal, its grantee
// when it allows RetireGrant, or the key's managers. Must not import api.
import { NotFoundError, retireGrantOperation, ValidationError, type RetireGrantRequest } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';
import type { OpContext } from '../context.js';
import { checkGrantId, readGrantToken } from '../grants/grant-token.js';
import { admitRetire } from '../grants/retire-rights.js';
import { findKey } from '../key-loading.js';
import { ANY } from '../lifecycle.js';
import { refuseUnsupported } from '../rules.js';

export const retireGrant = defineOperation(
  retireGrantOperation,
  // AWS: a grant can be retired whatever the key's state.
  { access: 'manage', states: ANY },
  async (ctx, input) => {
    refuseUnsupported(input, ['dryRun']);
    const { grantId, keyId } = await namedGrant(ctx, input);
    // Authorised outside the transaction: key authorization may read the key's grants through the store's handle.
    const grant = await repo.grants.get(ctx.store.db, grantId);
    if (!grant || (keyId !== undefined && grant.keyId !== keyId)) throw new NotFoundError('grant not found');
    await admitRetire(ctx, ctx.store.db, grant);
    ctx.audit.details = { grantId };
    await ctx.transaction(async (tx) => {
      if (!(await repo.grants.remove(tx, grantId))) throw new NotFoundError('grant not found'); // retired meanwhile
    });
    return {};
  },
);

/** The grant a RetireGrant names: by token (and, if also given, the same key and id), or by key and id. */
async function namedGrant(ctx: OpContext, input: RetireGrantRequest): Promise<{ grantId: string; keyId?: string }> {
  const grantId = input.grantId === undefined ? undefined : checkGrantId(input.grantId);
  const keyId = input.keyId === undefined ? undefined : (await findKey(ctx, ctx.store.db, input.keyId)).id;
  if (input.grantToken !== undefined) {
    const named = readGrantToken(ctx, input.grantToken);
    if (grantId !== undefined && grantId !== named)
      throw new ValidationError('grantId names another grant than grantToken');
    return { grantId: named, ...(keyId !== undefined ? { keyId } : {}) };
  }
  if (grantId === undefined || keyId === undefined)
    throw new ValidationError('RetireGrant needs grantToken, or both keyId and grantId');
  return { grantId, keyId };
}
