// PutKeyringPolicy (Custos, MOSIP key manager): creates or replaces a keyring policy, audited. Must not import api; the logic lives in service/keyrings/.
import { putKeyringPolicyOperation } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';
import { ANY_CALLER, checkPolicyValues, policyOut } from '../keyrings/policies.js';

export const putKeyringPolicy = defineOperation(
  putKeyringPolicyOperation,
  { access: 'manage', states: null },
  async (ctx, input) => {
    checkPolicyValues(input.validityDays, input.preExpireDays);
    const policy = {
      applicationId: input.applicationId,
      validityDays: input.validityDays,
      preExpireDays: input.preExpireDays,
      active: input.active ?? true,
      accessAllowed: input.accessAllowed ?? ANY_CALLER,
    };
    ctx.audit.details = { ...policy };
    const stored = await ctx.transaction((tx) => repo.keyringPolicies.put(tx, policy, ctx.now()));
    return { policy: policyOut(stored) };
  },
);
