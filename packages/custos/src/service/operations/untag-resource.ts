// UntagResource: removes tags from a key by tag key.
// Must not import api.
import { untagResourceOperation } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';
import { loadKey } from '../key-loading.js';
import { LIVE } from '../lifecycle.js';

export const untagResource = defineOperation(
  untagResourceOperation,
  { access: 'manage', states: LIVE },
  async (ctx, input) => {
    await ctx.transaction(async (tx) => {
      const key = await loadKey(ctx, tx, input.keyId);
      await repo.tags.remove(tx, key.id, input.tagKeys);
    });
    return {};
  },
);
