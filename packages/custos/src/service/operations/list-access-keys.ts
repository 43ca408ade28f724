// ListAccessKeys (Custos): the access keys, never their secrets, paged.
// Must not import api.
import { listAccessKeysOperation } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';
import { pageResponse } from '../paging.js';

export const listAccessKeys = defineOperation(
  listAccessKeysOperation,
  { access: 'tokens', states: null },
  async (ctx, input) => {
    const page = await repo.accessKeys.list(ctx.store.db, {
      limit: input.limit ?? 100,
      ...(input.marker ? { after: input.marker } : {}),
    });
    return {
      accessKeys: page.items.map((k) => ({
        accessKeyId: k.id,
        principal: k.principal,
        roles: [...k.roles],
        description: k.description,
        createdAt: k.createdAt,
        ...(k.revokedAt ? { revokedAt: k.revokedAt } : {}),
        ...(k.lastUsedAt ? { lastUsedAt: k.lastUsedAt } : {}),
      })),
      ...pageResponse(page),
    };
  },
);
