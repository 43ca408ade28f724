// UpdateKeyDescription.
import { updateKeyDescriptionOperation } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';
import { loadKey } from '../key-loading.js';
import { LIVE } from '../lifecycle.js';

export const updateKeyDescription = defineOperation(
  updateKeyDescriptionOperation,
  { access: 'manage', states: LIVE },
  async (ctx, input) => {
    await ctx.transaction(async (tx) => {
      const key = await loadKey(ctx, tx, input.keyId);
      await repo.keys.update(tx, key.id, { description: input.description, updatedAt: ctx.now() });
    });
    return {};
  },
);
