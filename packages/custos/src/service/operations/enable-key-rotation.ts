// EnableKeyRotation: turns on automatic rotation (AWS: every 90 to 2560 days, default 365).
// Must not import api.
import { ValidationError, enableKeyRotationOperation } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';
import { loadKey } from '../key-loading.js';
import { USABLE } from '../lifecycle.js';
import { DAY_MS, assertRotatable } from '../rotation.js';

/** AWS: 90 to 2560 days, default 365. */
const MIN_PERIOD = 90;
const MAX_PERIOD = 2560;
const DEFAULT_PERIOD = 365;

export const enableKeyRotation = defineOperation(
  enableKeyRotationOperation,
  { access: 'manage', states: USABLE },
  async (ctx, input) => {
    const period = input.rotationPeriodInDays ?? DEFAULT_PERIOD;
    if (!Number.isInteger(period) || period < MIN_PERIOD || period > MAX_PERIOD) {
      throw new ValidationError(`rotationPeriodInDays must be an integer from ${MIN_PERIOD} to ${MAX_PERIOD}`);
    }
    await ctx.transaction(async (tx) => {
      const key = await loadKey(ctx, tx, input.keyId);
      assertRotatable(key);
      const now = ctx.now();
      await repo.keys.update(tx, key.id, {
        rotationEnabled: true,
        rotationPeriodDays: period,
        nextRotationAt: new Date(now.getTime() + period * DAY_MS),
        updatedAt: now,
      });
    });
    return {};
  },
);
