// AutoRotateKey (internal, a background job): the rotation RotateKeyOnDemand makes, when the period has passed.
// Must not import api.
import { defineInternalOperation } from '../define-operation.js';
import { loadKey } from '../key-loading.js';
import { USABLE } from '../lifecycle.js';
import { auditedRotation, rotateKey } from '../rotation.js';
import type { JobKeyInput } from './destroy-key.js';

/** Automatic rotation when the period has passed (the same rotation RotateKeyOnDemand makes). */
export const autoRotateKey = defineInternalOperation(
  'AutoRotateKey',
  { access: 'manage', states: USABLE },
  async (ctx, input: JobKeyInput): Promise<Record<string, never>> => {
    const key = await loadKey(ctx, ctx.store.db, input.keyId);
    if (!key.rotationEnabled || !key.nextRotationAt || key.nextRotationAt > ctx.now()) return {};
    await rotateKey(ctx, key.id, 'AUTOMATIC', key.latestVersion, auditedRotation(ctx));
    return {};
  },
);
