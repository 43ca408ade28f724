// DeleteImportedKeyMaterial: destroys imported material now; the key waits for the same material again.
// Must not import api.
import { deleteImportedKeyMaterialOperation } from '@custos/contract';
import type { Db } from '../../store/index.js';
import * as repo from '../../store/repositories/index.js';
import type { KeyRecord } from '../../store/types.js';
import type { OpContext } from '../context.js';
import { defineOperation } from '../define-operation.js';
import { loadKey } from '../key-loading.js';
import { keyArn } from '../key-ref.js';
import { S } from '../lifecycle.js';
import { refuseUnsupported } from '../rules.js';
import { assertExternal } from './get-parameters-for-import.js';

/** Destroys imported material now: the key waits in PendingImport (or stays PendingDeletion) for the same material again. */
export const deleteImportedKeyMaterial = defineOperation(
  deleteImportedKeyMaterialOperation,
  // AWS: allowed while PendingDeletion (the key stays PendingDeletion) and a no-op while PendingImport.
  { access: 'manage', states: S('Enabled', 'Disabled', 'PendingDeletion', 'PendingImport') },
  async (ctx, input) => {
    refuseUnsupported(input, ['keyMaterialId']);
    const id = await ctx.transaction(async (tx) => {
      const key = await loadKey(ctx, tx, input.keyId);
      assertExternal(key);
      await removeMaterial(ctx, tx, key);
      return key.id;
    });
    return { keyId: keyArn(ctx.config, id) };
  },
);

/** AWS: a key pending deletion stays PendingDeletion (CancelKeyDeletion then returns it to PendingImport). */
export async function removeMaterial(ctx: OpContext, tx: Db, key: KeyRecord): Promise<void> {
  await repo.keyVersions.destroyMaterial(tx, key.id);
  const state = key.state === 'PendingDeletion' ? 'PendingDeletion' : 'PendingImport';
  await repo.keys.update(tx, key.id, { state, materialExpiresAt: null, updatedAt: ctx.now() });
}
