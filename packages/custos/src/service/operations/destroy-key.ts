// DestroyKey (internal, a background job): the end of the pending window, material gone for good.
// Must not import api.
import type { Db } from '../../store/index.js';
import * as repo from '../../store/repositories/index.js';
import type { KeyRecord } from '../../store/types.js';
import type { OpContext } from '../context.js';
import { defineInternalOperation } from '../define-operation.js';
import { loadKey } from '../key-loading.js';
import { S } from '../lifecycle.js';
import { destroyHsmObject, isHsmKey } from '../hsm/keys.js';

export interface JobKeyInput {
  readonly keyId: string;
}

/**
 * Locks the key's row (PostgreSQL: SELECT ... FOR UPDATE) and then loads it, so the state checked is the one
 * left by any job on another node that held the lock first (a key destroyed there fails the state check here).
 */
export async function loadLocked(ctx: OpContext, tx: Db, keyId: string): Promise<KeyRecord> {
  await repo.keys.getForUpdate(tx, keyId);
  return loadKey(ctx, tx, keyId);
}

/** The end of the pending window: the material is gone for good, the aliases freed; the record stays as Destroyed. */
export const destroyKey = defineInternalOperation(
  'DestroyKey',
  { access: 'manage', states: S('PendingDeletion') },
  async (ctx, input: JobKeyInput): Promise<Record<string, never>> => {
    await ctx.transaction(async (tx) => {
      const key = await loadLocked(ctx, tx, input.keyId);
      if (key.deletionDate && key.deletionDate > ctx.now()) return;
      // HSM-protected: the token objects go first (idempotent), so a failure here leaves the key PendingDeletion for
      // the next run, never a Destroyed key whose material still sits in the token.
      if (isHsmKey(key))
        for (const version of await repo.keyVersions.list(tx, key.id)) await destroyHsmObject(ctx, version);
      await repo.keyVersions.destroyMaterial(tx, key.id);
      await repo.aliases.removeForKey(tx, key.id);
      await repo.importTokens.removeForKey(tx, key.id);
      await repo.keys.update(tx, key.id, {
        state: 'Destroyed',
        rotationEnabled: false,
        nextRotationAt: null,
        updatedAt: ctx.now(),
      });
    });
    return {};
  },
);
