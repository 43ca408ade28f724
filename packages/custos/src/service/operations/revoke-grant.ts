// RevokeGrant: deletes a grant of a key, for the key's managers. Must not import api.
import { NotFoundError, revokeGrantOperation } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';
import { checkGrantId } from '../grants/grant-token.js';
import { loadKey } from '../key-loading.js';
import { ANY } from '../lifecycle.js';
import { refuseUnsupported } from '../rules.js';

export const revokeGrant = defineOperation(
  revokeGrantOperation,
  // AWS: a grant can be revoked whatever the key's state.
  { access: 'manage', states: ANY },
  async (ctx, input) => {
    refuseUnsupported(input, ['dryRun']);
    const grantId = checkGrantId(input.grantId);
    const key = await loadKey(ctx, ctx.store.db, input.keyId);
    const grant = await repo.grants.get(ctx.store.db, grantId);
    if (grant?.keyId !== key.id) throw new NotFoundError('grant not found');
    ctx.audit.details = { grantId };
    await ctx.transaction(async (tx) => {
      if (!(await repo.grants.remove(tx, grantId))) throw new NotFoundError('grant not found'); // revoked meanwhile
    });
    return {};
  },
);
