// Operations run by background jobs (with the system caller): destroying keys past their pending window and
// removing imported material past its expiry. Audited like every operation.
import type { Db } from '../../store/index.js';
import * as repo from '../../store/repositories/index.js';
import type { KeyRecord } from '../../store/types.js';
import type { OpContext } from '../context.js';
import { loadKey } from '../keys.js';
import { rotateKey } from '../rotation.js';
import { removeMaterial } from './import-key-material.js';

export interface JobKeyInput {
  readonly keyId: string;
}

/**
 * Locks the key's row (PostgreSQL: SELECT ... FOR UPDATE) and then loads it, so the state checked is the one
 * left by any job on another node that held the lock first (a key destroyed there fails the state check here).
 */
async function loadLocked(
  ctx: OpContext,
  tx: Db,
  keyId: string,
  operation: 'DestroyKey' | 'ExpireKeyMaterial',
): Promise<KeyRecord> {
  await repo.keys.getForUpdate(tx, keyId);
  return loadKey(ctx, tx, keyId, operation);
}

/** The end of the pending window: the material is gone for good, the aliases freed; the record stays as Destroyed. */
export async function destroyKey(ctx: OpContext, input: JobKeyInput): Promise<Record<string, never>> {
  await ctx.store.transaction(async (tx) => {
    const key = await loadLocked(ctx, tx, input.keyId, 'DestroyKey');
    if (key.deletionDate && key.deletionDate > ctx.now()) return;
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
}

export async function expireKeyMaterial(ctx: OpContext, input: JobKeyInput): Promise<Record<string, never>> {
  await ctx.store.transaction(async (tx) => {
    const key = await loadLocked(ctx, tx, input.keyId, 'ExpireKeyMaterial');
    if (!key.materialExpiresAt || key.materialExpiresAt > ctx.now()) return;
    await removeMaterial(ctx, tx, key);
  });
  return {};
}

/** Automatic rotation when the period has passed (the same rotation RotateKeyOnDemand makes). */
export async function autoRotateKey(ctx: OpContext, input: JobKeyInput): Promise<Record<string, never>> {
  const key = await loadKey(ctx, ctx.store.db, input.keyId, 'AutoRotateKey');
  if (!key.rotationEnabled || !key.nextRotationAt || key.nextRotationAt > ctx.now()) return {};
  const rotated = await rotateKey(ctx, key.id, 'AUTOMATIC', key.latestVersion);
  ctx.audit.keyVersion = rotated.latestVersion;
  return {};
}
