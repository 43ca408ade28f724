// ScheduleKeyDeletion and CancelKeyDeletion: the pending window before the sweep destroys the material.
import {
  ValidationError,
  type CancelKeyDeletionRequest,
  type CancelKeyDeletionResponse,
  type ScheduleKeyDeletionRequest,
  type ScheduleKeyDeletionResponse,
} from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import type { OpContext } from '../context.js';
import { keyArn } from '../key-ref.js';
import { loadKey } from '../keys.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_PENDING_WINDOW_DAYS = 30;

export async function scheduleKeyDeletion(
  ctx: OpContext,
  input: ScheduleKeyDeletionRequest,
): Promise<ScheduleKeyDeletionResponse> {
  const days = input.pendingWindowInDays ?? MAX_PENDING_WINDOW_DAYS;
  const min = ctx.config.minPendingWindowDays;
  if (!Number.isInteger(days) || days < min || days > MAX_PENDING_WINDOW_DAYS) {
    throw new ValidationError(`pendingWindowInDays must be an integer from ${min} to ${MAX_PENDING_WINDOW_DAYS}`);
  }
  const deletionDate = new Date(ctx.now().getTime() + days * DAY_MS);
  const id = await ctx.store.transaction(async (tx) => {
    const key = await loadKey(ctx, tx, input.keyId, 'ScheduleKeyDeletion');
    await repo.keys.update(tx, key.id, {
      state: 'PendingDeletion',
      deletionDate,
      pendingWindowDays: days,
      updatedAt: ctx.now(),
    });
    return key.id;
  });
  return { keyId: keyArn(ctx.config, id), deletionDate, keyState: 'PendingDeletion', pendingWindowInDays: days };
}

/** AWS puts a cancelled key in Disabled (or back in PendingImport when it has no material). */
export async function cancelKeyDeletion(
  ctx: OpContext,
  input: CancelKeyDeletionRequest,
): Promise<CancelKeyDeletionResponse> {
  const id = await ctx.store.transaction(async (tx) => {
    const key = await loadKey(ctx, tx, input.keyId, 'CancelKeyDeletion');
    const latest = key.latestVersion > 0 ? await repo.keyVersions.get(tx, key.id, key.latestVersion) : undefined;
    const state = latest?.wrappedMaterial ? 'Disabled' : 'PendingImport';
    await repo.keys.update(tx, key.id, { state, deletionDate: null, pendingWindowDays: null, updatedAt: ctx.now() });
    return key.id;
  });
  return { keyId: keyArn(ctx.config, id) };
}
