// TrimKeyVersions: schedules the destruction of a symmetric encryption key's versions below its minimum decryption
// version after a pending window (as ScheduleKeyDeletion's); the maintenance job then destroys them
// (destroy-trimmed-versions.ts). From the call on, the minimum cannot go below the trim. Must not import api.
import { trimKeyVersionsOperation, ValidationError } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';
import { keyArn } from '../key-ref.js';
import { WITH_MATERIAL } from '../lifecycle.js';
import { requireSymmetricEncryptionKey } from '../usage/versions.js';
import { loadLocked } from './destroy-key.js';
import { pendingWindowDays } from './schedule-key-deletion.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export const trimKeyVersions = defineOperation(
  trimKeyVersionsOperation,
  { access: 'manage', states: WITH_MATERIAL },
  async (ctx, input) => {
    const days = pendingWindowDays(ctx, input.pendingWindowInDays);
    const trimDate = new Date(ctx.now().getTime() + days * DAY_MS);
    const { id, floor } = await ctx.transaction(async (tx) => {
      const key = await loadLocked(ctx, tx, input.keyId);
      requireSymmetricEncryptionKey(key, 'trimming versions');
      const floor = key.minDecryptionVersion;
      if (floor <= 1)
        throw new ValidationError('nothing to trim: raise the minimum decryption version first (versions below it go)');
      if (floor === key.trimFloor && key.trimDate === null)
        throw new ValidationError(`the versions below ${String(floor)} are trimmed already`);
      await repo.keys.update(tx, key.id, { trimFloor: floor, trimDate, updatedAt: ctx.now() });
      ctx.audit.details = { trimmedBelowVersion: floor, trimDate: trimDate.toISOString() };
      return { id: key.id, floor };
    });
    return { keyId: keyArn(ctx.config, id), trimmedBelowVersion: floor, trimDate, pendingWindowInDays: days };
  },
);
