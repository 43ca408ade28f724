// ScheduleKeyDeletion: the pending window before the sweep destroys the material. On the native API and the CLI a key
// used within deletionRecentUseDays is refused unless the caller passes force (the warning AWS's documentation gives
// in prose, enforced); the AWS protocol passes force itself, keeping AWS's behaviour. Must not import api.
import { InvalidStateError, scheduleKeyDeletionOperation, ValidationError } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import type { OpContext } from '../context.js';
import { defineOperation } from '../define-operation.js';
import { loadKey } from '../key-loading.js';
import { keyArn } from '../key-ref.js';
import { LIVE } from '../lifecycle.js';
import { lastUsedAt } from '../usage/key-usage.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_PENDING_WINDOW_DAYS = 30;

/** A pending window in days (default 30), checked against the configured minimum; shared with TrimKeyVersions. */
export function pendingWindowDays(ctx: OpContext, requested: number | undefined): number {
  const days = requested ?? MAX_PENDING_WINDOW_DAYS;
  const min = ctx.config.minPendingWindowDays;
  if (!Number.isInteger(days) || days < min || days > MAX_PENDING_WINDOW_DAYS) {
    throw new ValidationError(`pendingWindowInDays must be an integer from ${min} to ${MAX_PENDING_WINDOW_DAYS}`);
  }
  return days;
}

export const scheduleKeyDeletion = defineOperation(
  scheduleKeyDeletionOperation,
  { access: 'manage', states: LIVE },
  async (ctx, input) => {
    const days = pendingWindowDays(ctx, input.pendingWindowInDays);
    const deletionDate = new Date(ctx.now().getTime() + days * DAY_MS);
    const id = await ctx.transaction(async (tx) => {
      const key = await loadKey(ctx, tx, input.keyId);
      const recentDays = ctx.config.deletionRecentUseDays;
      if (input.force !== true && recentDays > 0) {
        const last = await lastUsedAt(ctx, tx, key.id);
        if (last !== null && ctx.now().getTime() - last.getTime() < recentDays * DAY_MS)
          throw new InvalidStateError(
            `the key was last used at ${last.toISOString()}, within the last ${String(recentDays)} days: data ` +
              'encrypted under it may still be in use. Pass force (custos key schedule-deletion --force) to schedule anyway',
            'KEY_RECENTLY_USED',
          );
      }
      if (input.force === true) ctx.audit.details = { force: true };
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
