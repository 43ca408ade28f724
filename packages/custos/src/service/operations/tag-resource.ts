// TagResource: adds or overwrites tags on a key.
// Must not import api.
import { LimitExceededError, tagResourceOperation } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';
import { loadKey } from '../key-loading.js';
import { LIVE } from '../lifecycle.js';
import { MAX_TAGS_PER_KEY, checkTags } from '../rules.js';

export const tagResource = defineOperation(
  tagResourceOperation,
  { access: 'manage', states: LIVE },
  async (ctx, input) => {
    checkTags(input.tags);
    await ctx.transaction(async (tx) => {
      const key = await loadKey(ctx, tx, input.keyId);
      await repo.tags.put(tx, key.id, input.tags);
      // Checked after the upsert, inside the transaction: the throw rolls the upsert back.
      if ((await repo.tags.count(tx, key.id)) > MAX_TAGS_PER_KEY)
        throw new LimitExceededError(`a key can have at most ${MAX_TAGS_PER_KEY} tags`);
    });
    return {};
  },
);
