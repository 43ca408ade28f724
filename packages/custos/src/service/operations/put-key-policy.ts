// PutKeyPolicy: replaces the key policy document.
// Must not import api.
import { putKeyPolicyOperation } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';
import { loadKey } from '../key-loading.js';
import { S } from '../lifecycle.js';
import { checkPolicy, refuseUnsupported } from '../rules.js';
import { checkPolicyName } from './get-key-policy.js';

export const putKeyPolicy = defineOperation(
  putKeyPolicyOperation,
  // AWS: PutKeyPolicy works in every key state, PendingDeletion included.
  { access: 'manage', states: S('Enabled', 'Disabled', 'PendingDeletion', 'PendingImport') },
  async (ctx, input) => {
    refuseUnsupported(input, ['bypassPolicyLockoutSafetyCheck']);
    checkPolicyName(input.policyName);
    checkPolicy(input.policy);
    await ctx.transaction(async (tx) => {
      const key = await loadKey(ctx, tx, input.keyId);
      await repo.keys.update(tx, key.id, { policy: input.policy, updatedAt: ctx.now() });
    });
    return {};
  },
);
