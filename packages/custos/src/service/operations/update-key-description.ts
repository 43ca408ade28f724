// UpdateKeyDescription.
import type { UpdateKeyDescriptionRequest, UpdateKeyDescriptionResponse } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import type { OpContext } from '../context.js';
import { loadKey } from '../keys.js';

export async function updateKeyDescription(
  ctx: OpContext,
  input: UpdateKeyDescriptionRequest,
): Promise<UpdateKeyDescriptionResponse> {
  await ctx.store.transaction(async (tx) => {
    const key = await loadKey(ctx, tx, input.keyId, 'UpdateKeyDescription');
    await repo.keys.update(tx, key.id, { description: input.description, updatedAt: ctx.now() });
  });
  return {};
}
