// RevokeAccessKey (Custos): an access key stops authenticating at once.
// Must not import api.
import { NotFoundError, revokeAccessKeyOperation } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';

/** Revoking a revoked access key is a no-op; an unknown id is NOT_FOUND. */
export const revokeAccessKey = defineOperation(
  revokeAccessKeyOperation,
  { access: 'tokens', states: null },
  async (ctx, input) => {
    ctx.audit.details = { accessKeyId: input.accessKeyId };
    await ctx.transaction(async (tx) => {
      const key = await repo.accessKeys.get(tx, input.accessKeyId);
      if (!key) throw new NotFoundError(`access key not found: ${input.accessKeyId}`);
      await repo.accessKeys.revoke(tx, key.id, ctx.now());
    });
    return {};
  },
);
