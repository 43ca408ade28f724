// ExpireKeyMaterial (internal, a background job): removes imported material past its expiry.
// Must not import api.
import { defineInternalOperation } from '../define-operation.js';
import { S } from '../lifecycle.js';
import { type JobKeyInput, loadLocked } from './destroy-key.js';
import { removeMaterial } from './delete-imported-key-material.js';

export const expireKeyMaterial = defineInternalOperation(
  'ExpireKeyMaterial',
  // Expired material already reads as PendingImport (key-loading.ts effectiveState); the job then deletes it.
  { access: 'manage', states: S('Enabled', 'Disabled', 'PendingImport') },
  async (ctx, input: JobKeyInput): Promise<Record<string, never>> => {
    await ctx.transaction(async (tx) => {
      const key = await loadLocked(ctx, tx, input.keyId);
      if (!key.materialExpiresAt || key.materialExpiresAt > ctx.now()) return;
      await removeMaterial(ctx, tx, key);
    });
    return {};
  },
);
