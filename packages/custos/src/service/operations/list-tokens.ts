// ListTokens (Custos): the API tokens, never the tokens themselves, paged.
// Must not import api.
import { listTokensOperation } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';
import { pageResponse } from '../paging.js';

export const listTokens = defineOperation(
  listTokensOperation,
  { access: 'tokens', states: null },
  async (ctx, input) => {
    const page = await repo.tokens.list(ctx.store.db, {
      limit: input.limit ?? 100,
      ...(input.marker ? { after: input.marker } : {}),
    });
    return {
      tokens: page.items.map((t) => ({
        tokenId: t.id,
        principal: t.principal,
        roles: [...t.roles],
        description: t.description,
        createdAt: t.createdAt,
        ...(t.expiresAt ? { expiresAt: t.expiresAt } : {}),
        ...(t.revokedAt ? { revokedAt: t.revokedAt } : {}),
        ...(t.lastUsedAt ? { lastUsedAt: t.lastUsedAt } : {}),
      })),
      ...pageResponse(page),
    };
  },
);
