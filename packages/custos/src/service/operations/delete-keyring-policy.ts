// DeleteKeyringPolicy (Custos, MOSIP key manager): removes a keyring policy (its keys stay), audited. Must not import api; the logic lives in service/keyrings/.
import { deleteKeyringPolicyOperation, NotFoundError } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';

export const deleteKeyringPolicy = defineOperation(
  deleteKeyringPolicyOperation,
  { access: 'manage', states: null },
  async (ctx, input) => {
    ctx.audit.details = { applicationId: input.applicationId };
    await ctx.transaction(async (tx) => {
      if (!(await repo.keyringPolicies.remove(tx, input.applicationId)))
        throw new NotFoundError(`no keyring policy for application ${input.applicationId}`, 'KEYRING_POLICY_NOT_FOUND');
    });
    return {};
  },
);
