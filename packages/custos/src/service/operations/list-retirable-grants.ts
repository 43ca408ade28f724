// ListRetirableGrants: the grants, on any key, that name a principal as their retiring principal, paged.
// Must not import api.
import { listRetirableGrantsOperation } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';
import { grantListEntry } from '../grants/grant-entry.js';
import { grantPrincipal } from '../grants/principals.js';
import { pageResponse } from '../paging.js';

export const listRetirableGrants = defineOperation(
  listRetirableGrantsOperation,
  { access: 'read', states: null },
  async (ctx, input) => {
    const retiringPrincipal = grantPrincipal(ctx.config, input.retiringPrincipal, 'RetiringPrincipal');
    const page = await repo.grants.list(
      ctx.store.db,
      { retiringPrincipal },
      { limit: input.limit ?? 50, after: input.marker },
    );
    return { grants: page.items.map((grant) => grantListEntry(ctx.config, grant)), ...pageResponse(page) };
  },
);
