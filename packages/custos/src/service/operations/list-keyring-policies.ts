// ListKeyringPolicies (Custos, MOSIP key manager): every keyring policy. Must not import api; the logic lives in service/keyrings/.
import { listKeyringPoliciesOperation } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';
import { policyOut } from '../keyrings/policies.js';

export const listKeyringPolicies = defineOperation(
  listKeyringPoliciesOperation,
  { access: 'read', states: null },
  async (ctx, _input) => ({ policies: (await repo.keyringPolicies.list(ctx.store.db)).map(policyOut) }),
);
