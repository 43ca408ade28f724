// UpdateKeyConstraints (Custos): allowed algorithms, validity window and maximum uses of a key.
import type { UpdateKeyConstraintsRequest, UpdateKeyConstraintsResponse } from '@custos/contract';
import { specEntry } from '../../core/key-specs.js';
import * as repo from '../../store/repositories/index.js';
import type { KeyRecord } from '../../store/types.js';
import type { OpContext } from '../context.js';
import { keyMetadata, loadKey } from '../keys.js';
import { checkConstraints } from '../rules.js';

export async function updateKeyConstraints(
  ctx: OpContext,
  input: UpdateKeyConstraintsRequest,
): Promise<UpdateKeyConstraintsResponse> {
  const updated = await ctx.store.transaction(async (tx) => {
    const key = await loadKey(ctx, tx, input.keyId, 'UpdateKeyConstraints');
    checkConstraints(specEntry(key.spec), key.usage, input, key);
    const patch: Partial<KeyRecord> = {
      ...(input.allowedAlgorithms !== undefined ? { allowedAlgorithms: input.allowedAlgorithms } : {}),
      ...(input.notBefore !== undefined ? { notBefore: input.notBefore } : {}),
      ...(input.notAfter !== undefined ? { notAfter: input.notAfter } : {}),
      ...(input.maxUses !== undefined ? { maxUses: input.maxUses } : {}),
      updatedAt: ctx.now(),
    };
    await repo.keys.update(tx, key.id, patch);
    return { ...key, ...patch } as KeyRecord;
  });
  return { keyMetadata: keyMetadata(ctx, updated) };
}
