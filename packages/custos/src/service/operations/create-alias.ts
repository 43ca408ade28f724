// CreateAlias: a friendly name pointing at a key (never at another alias).
// Must not import api.
import { createAliasOperation, ValidationError } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import type { KeyRecord } from '../../store/types.js';
import type { OpContext } from '../context.js';
import { defineOperation } from '../define-operation.js';
import { loadKey } from '../key-loading.js';
import { checkAliasName, parseKeyRef } from '../key-ref.js';
import { LIVE } from '../lifecycle.js';

/** An alias names a key directly: its target must be a key id or key ARN, not another alias. */
export async function loadTarget(
  ctx: OpContext,
  tx: Parameters<typeof loadKey>[1],
  targetKeyId: string,
): Promise<KeyRecord> {
  if (parseKeyRef(targetKeyId, ctx.config).kind === 'alias')
    throw new ValidationError('an alias must target a key id or key ARN, not an alias');
  return loadKey(ctx, tx, targetKeyId);
}

export const createAlias = defineOperation(
  createAliasOperation,
  { access: 'manage', states: LIVE },
  async (ctx, input) => {
    checkAliasName(input.aliasName);
    ctx.audit.details = { aliasName: input.aliasName };
    await ctx.transaction(async (tx) => {
      const key = await loadTarget(ctx, tx, input.targetKeyId);
      const now = ctx.now();
      await repo.aliases.insert(tx, { name: input.aliasName, keyId: key.id, createdAt: now, updatedAt: now });
    });
    return {};
  },
);
