// ListGrants: the grants of one key, optionally one grant or one grantee's, paged. Must not import api.
import { listGrantsOperation } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';
import { grantListEntry } from '../grants/grant-entry.js';
import { checkGrantId, checkGrantTokens } from '../grants/grant-token.js';
import { grantPrincipal } from '../grants/principals.js';
import { loadKey } from '../key-loading.js';
import { ANY } from '../lifecycle.js';
import { pageResponse } from '../paging.js';

export const listGrants = defineOperation(listGrantsOperation, { access: 'read', states: ANY }, async (ctx, input) => {
  checkGrantTokens(ctx, input.grantTokens);
  const grantId = input.grantId === undefined ? undefined : checkGrantId(input.grantId);
  const grantee =
    input.granteePrincipal === undefined
      ? undefined
      : grantPrincipal(ctx.config, input.granteePrincipal, 'GranteePrincipal');
  const key = await loadKey(ctx, ctx.store.db, input.keyId);
  const page = await repo.grants.list(
    ctx.store.db,
    { keyId: key.id, grantId, granteePrincipal: grantee },
    { limit: input.limit ?? 50, after: input.marker },
  );
  return { grants: page.items.map((grant) => grantListEntry(ctx.config, grant)), ...pageResponse(page) };
});
