// CancelKeyDeletion: takes a key out of PendingDeletion.
// Must not import api.
import { cancelKeyDeletionOperation } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';
import { loadKey } from '../key-loading.js';
import { keyArn } from '../key-ref.js';
import { S } from '../lifecycle.js';

/** AWS puts a cancelled key in Disabled (or back in PendingImport when it has no material). */
export const cancelKeyDeletion = defineOperation(
  cancelKeyDeletionOperation,
  { access: 'manage', states: S('PendingDeletion') },
  async (ctx, input) => {
    const id = await ctx.transaction(async (tx) => {
      const key = await loadKey(ctx, tx, input.keyId);
      const latest = key.latestVersion > 0 ? await repo.keyVersions.get(tx, key.id, key.latestVersion) : undefined;
      // A public-key-only key never had material: its public key is what it holds.
      const state = latest?.wrappedMaterial || key.publicKeyOnly ? 'Disabled' : 'PendingImport';
      await repo.keys.update(tx, key.id, { state, deletionDate: null, pendingWindowDays: null, updatedAt: ctx.now() });
      return key.id;
    });
    return { keyId: keyArn(ctx.config, id) };
  },
);
