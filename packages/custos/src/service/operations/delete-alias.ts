// DeleteAlias: removes an alias, never the key.
// Must not import api.
import { deleteAliasOperation, NotFoundError } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';
import { checkAliasName } from '../key-ref.js';

export const deleteAlias = defineOperation(
  deleteAliasOperation,
  { access: 'manage', states: null },
  async (ctx, input) => {
    checkAliasName(input.aliasName);
    ctx.audit.details = { aliasName: input.aliasName };
    await ctx.transaction(async (tx) => {
      const alias = await repo.aliases.get(tx, input.aliasName);
      if (!alias) throw new NotFoundError(`alias not found: ${input.aliasName}`, 'ALIAS_NOT_FOUND');
      ctx.audit.keyId = alias.keyId;
      await repo.aliases.remove(tx, input.aliasName);
    });
    return {};
  },
);
