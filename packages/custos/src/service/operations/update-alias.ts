// UpdateAlias: points an alias at another key of the same usage and kind.
// Must not import api.
import { NotFoundError, updateAliasOperation, ValidationError } from '@custos/contract';
import { isSymmetric, specEntry } from '../../core/key-specs.js';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';
import { findKey } from '../key-loading.js';
import { checkAliasName } from '../key-ref.js';
import { LIVE } from '../lifecycle.js';
import { loadTarget } from './create-alias.js';

/** AWS: the new target must have the same key usage and the same kind (symmetric or not). */
export const updateAlias = defineOperation(
  updateAliasOperation,
  { access: 'manage', states: LIVE },
  async (ctx, input) => {
    checkAliasName(input.aliasName);
    ctx.audit.details = { aliasName: input.aliasName };
    await ctx.transaction(async (tx) => {
      const alias = await repo.aliases.get(tx, input.aliasName);
      if (!alias) throw new NotFoundError(`alias not found: ${input.aliasName}`, 'ALIAS_NOT_FOUND');
      const current = await findKey(ctx, tx, alias.keyId);
      const key = await loadTarget(ctx, tx, input.targetKeyId);
      if (current.usage !== key.usage || isSymmetric(specEntry(current.spec)) !== isSymmetric(specEntry(key.spec))) {
        throw new ValidationError('the new target key must have the same key usage and type as the current one');
      }
      await repo.aliases.update(tx, input.aliasName, key.id, ctx.now());
    });
    return {};
  },
);
