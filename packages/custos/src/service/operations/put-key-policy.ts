// PutKeyPolicy: replaces the key policy document, once it parses and would not lock the caller out.
// Must not import api.
import { putKeyPolicyOperation } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';
import { loadKey } from '../key-loading.js';
import { S } from '../lifecycle.js';
import { checkLockout } from '../authz/lockout.js';
import { checkPolicy } from '../rules.js';
import { checkPolicyName } from './get-key-policy.js';

export const putKeyPolicy = defineOperation(
  putKeyPolicyOperation,
  // AWS: PutKeyPolicy works in every key state, PendingDeletion included.
  { access: 'manage', states: S('Enabled', 'Disabled', 'PendingDeletion', 'PendingImport') },
  async (ctx, input) => {
    checkPolicyName(input.policyName);
    await ctx.transaction(async (tx) => {
      // Authorised first (loadKey), then the document checked: a refused caller learns nothing of it.
      const key = await loadKey(ctx, tx, input.keyId);
      checkPolicy(input.policy, ctx.config.accountId);
      checkLockout(ctx, key, input.policy, input.bypassPolicyLockoutSafetyCheck ?? false);
      await repo.keys.update(tx, key.id, { policy: input.policy, updatedAt: ctx.now() });
    });
    return {};
  },
);
