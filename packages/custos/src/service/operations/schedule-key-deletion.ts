// ScheduleKeyDeletion: the pending window before the sweep destroys the material.
// Must not import api.
import { scheduleKeyDeletionOperation, ValidationError } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';
import { loadKey } from '../key-loading.js';
import { keyArn } from '../key-ref.js';
import { LIVE } from '../lifecycle.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_PENDING_WINDOW_DAYS = 30;

export const scheduleKeyDeletion = defineOperation(
  scheduleKeyDeletionOperation,
  { access: 'manage', states: LIVE },
  async (ctx, input) => {
    const days = input.pendingWindowInDays ?? MAX_PENDING_WINDOW_DAYS;
    const min = ctx.config.minPendingWindowDays;
    if (!Number.isInteger(days) || days < min || days > MAX_PENDING_WINDOW_DAYS) {
      throw new ValidationError(`pendingWindowInDays must be an integer from ${min} to ${MAX_PENDING_WINDOW_DAYS}`);
    }
    const deletionDate = new Date(ctx.now().getTime() + days * DAY_MS);
    const id = await ctx.transaction(async (tx) => {
      const key = await loadKey(ctx, tx, input.keyId);
      await repo.keys.update(tx, key.id, {
        state: 'PendingDeletion',
        deletionDate,
        pendingWindowDays: days,
        updatedAt: ctx.now(),
      });
      return key.id;
    });
    return { keyId: keyArn(ctx.config, id), deletionDate, keyState: 'PendingDeletion', pendingWindowInDays: days };
  },
);
