// UpdateKeyConstraints (Custos): allowed algorithms, validity window and maximum uses of a key.
import { updateKeyConstraintsOperation } from '@custos/contract';
import { specEntry } from '../../core/key-specs.js';
import * as repo from '../../store/repositories/index.js';
import type { KeyRecord } from '../../store/types.js';
import { defineOperation } from '../define-operation.js';
import { loadKey } from '../key-loading.js';
import { keyMetadata } from '../key-metadata.js';
import { LIVE } from '../lifecycle.js';
import { checkConstraints } from '../rules.js';

export const updateKeyConstraints = defineOperation(
  updateKeyConstraintsOperation,
  { access: 'manage', states: LIVE },
  async (ctx, input) => {
    const updated = await ctx.transaction(async (tx) => {
      const key = await loadKey(ctx, tx, input.keyId);
      checkConstraints(specEntry(key.spec), key.usage, input, key);
      const patch: Partial<KeyRecord> = {
        ...(input.allowedAlgorithms !== undefined ? { allowedAlgorithms: input.allowedAlgorithms } : {}),
        ...(input.notBefore !== undefined ? { notBefore: input.notBefore } : {}),
        ...(input.notAfter !== undefined ? { notAfter: input.notAfter } : {}),
        ...(input.maxUses !== undefined ? { maxUses: input.maxUses } : {}),
        updatedAt: ctx.now(),
      };
      await repo.keys.update(tx, key.id, patch);
      return { ...key, ...patch };
    });
    return { keyMetadata: keyMetadata(ctx, updated) };
  },
);
