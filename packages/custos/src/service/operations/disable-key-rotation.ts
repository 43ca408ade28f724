// DisableKeyRotation: turns off automatic rotation.
// Must not import api.
import { disableKeyRotationOperation } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';
import { loadKey } from '../key-loading.js';
import { USABLE } from '../lifecycle.js';
import { assertRotatable } from '../rotation.js';

export const disableKeyRotation = defineOperation(
  disableKeyRotationOperation,
  { access: 'manage', states: USABLE },
  async (ctx, input) => {
    await ctx.transaction(async (tx) => {
      const key = await loadKey(ctx, tx, input.keyId);
      assertRotatable(key);
      await repo.keys.update(tx, key.id, { rotationEnabled: false, nextRotationAt: null, updatedAt: ctx.now() });
    });
    return {};
  },
);
