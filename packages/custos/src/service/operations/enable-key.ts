// EnableKey and DisableKey: the Enabled <-> Disabled transition (a no-op when already there, as in AWS).
import type {
  DisableKeyRequest,
  DisableKeyResponse,
  EnableKeyRequest,
  EnableKeyResponse,
  KeyState,
} from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import type { OpContext } from '../context.js';
import { loadKey } from '../keys.js';

async function setEnabled(
  ctx: OpContext,
  keyId: string,
  state: KeyState,
  operation: 'EnableKey' | 'DisableKey',
): Promise<void> {
  await ctx.store.transaction(async (tx) => {
    const key = await loadKey(ctx, tx, keyId, operation);
    if (key.state !== state) await repo.keys.update(tx, key.id, { state, updatedAt: ctx.now() });
  });
}

export async function enableKey(ctx: OpContext, input: EnableKeyRequest): Promise<EnableKeyResponse> {
  await setEnabled(ctx, input.keyId, 'Enabled', 'EnableKey');
  return {};
}

export async function disableKey(ctx: OpContext, input: DisableKeyRequest): Promise<DisableKeyResponse> {
  await setEnabled(ctx, input.keyId, 'Disabled', 'DisableKey');
  return {};
}
