// VerifyAuditChain (Custos): recomputes the audit hash chain and names the first record that does not match.
// Must not import api.
import { verifyAuditChainOperation } from '@custos/contract';
import { verifyChain } from '../audit/audit-log.js';
import { defineOperation } from '../define-operation.js';

export const verifyAuditChain = defineOperation(
  verifyAuditChainOperation,
  { access: 'audit', states: null },
  async (ctx, _input) => {
    return verifyChain(ctx.store.db, await ctx.chainKey());
  },
);
