// GetKeyringPolicy (Custos, MOSIP key manager): one keyring policy. Must not import api; the logic lives in service/keyrings/.
import { getKeyringPolicyOperation } from '@custos/contract';
import { defineOperation } from '../define-operation.js';
import { policyOut, requirePolicy } from '../keyrings/policies.js';

export const getKeyringPolicy = defineOperation(
  getKeyringPolicyOperation,
  { access: 'read', states: null },
  async (ctx, input) => ({ policy: policyOut(await requirePolicy(ctx.store.db, input.applicationId)) }),
);
