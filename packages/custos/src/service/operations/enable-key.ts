// EnableKey: Disabled -> Enabled (a no-op when already Enabled, as in AWS); and the transition DisableKey shares.
// Must not import api.
import { enableKeyOperation, type KeyState } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import type { OpContext } from '../context.js';
import { defineOperation } from '../define-operation.js';
import { loadKey } from '../key-loading.js';
import { WITH_MATERIAL } from '../lifecycle.js';

export async function setEnabled(ctx: OpContext, keyId: string, state: KeyState): Promise<void> {
  await ctx.transaction(async (tx) => {
    const key = await loadKey(ctx, tx, keyId);
    if (key.state !== state) await repo.keys.update(tx, key.id, { state, updatedAt: ctx.now() });
  });
}

export const enableKey = defineOperation(
  enableKeyOperation,
  { access: 'manage', states: WITH_MATERIAL },
  async (ctx, input) => {
    await setEnabled(ctx, input.keyId, 'Enabled');
    return {};
  },
);
