// ListAliases: all aliases, or those of one key, paged.
// Must not import api.
import { listAliasesOperation } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';
import { findKey } from '../key-loading.js';
import { aliasArn } from '../key-ref.js';
import { pageResponse } from '../paging.js';

export const listAliases = defineOperation(
  listAliasesOperation,
  { access: 'read', states: null },
  async (ctx, input) => {
    const keyId = input.keyId ? (await findKey(ctx, ctx.store.db, input.keyId)).id : undefined;
    const page = await repo.aliases.list(ctx.store.db, {
      limit: input.limit ?? 100,
      ...(keyId ? { keyId } : {}),
      ...(input.marker ? { after: input.marker } : {}),
    });
    return {
      aliases: page.items.map((alias) => ({
        aliasName: alias.name,
        aliasArn: aliasArn(ctx.config, alias.name),
        targetKeyId: alias.keyId,
        creationDate: alias.createdAt,
        lastUpdatedDate: alias.updatedAt,
      })),
      ...pageResponse(page),
    };
  },
);
