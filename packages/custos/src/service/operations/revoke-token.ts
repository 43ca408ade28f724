// RevokeToken (Custos): a token stops authenticating at once.
// Must not import api.
import { NotFoundError, revokeTokenOperation } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';

/** Revoking a revoked token is a no-op; an unknown id is NOT_FOUND. */
export const revokeToken = defineOperation(
  revokeTokenOperation,
  { access: 'tokens', states: null },
  async (ctx, input) => {
    ctx.audit.details = { tokenId: input.tokenId };
    await ctx.transaction(async (tx) => {
      const token = await repo.tokens.get(tx, input.tokenId);
      if (!token) throw new NotFoundError(`token not found: ${input.tokenId}`);
      await repo.tokens.revoke(tx, token.id, ctx.now());
    });
    return {};
  },
);
