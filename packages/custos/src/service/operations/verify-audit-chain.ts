// VerifyAuditChain (Custos): recomputes the audit hash chain and names the first record that does not match, then
// checks the log against the last signed checkpoint (brokenAt: the checkpoint's seq when the log does not match it),
// then the rows against the log (staleRows: rows put back from an earlier moment, integrity/freshness.ts).
// Must not import api.
import { verifyAuditChainOperation } from '@custos/contract';
import { verifyChain } from '../audit/audit-log.js';
import { checkCheckpoints, verifyLog } from '../audit/checkpoints.js';
import { defineOperation } from '../define-operation.js';
import { findStaleRows } from '../integrity/freshness.js';

export const verifyAuditChain = defineOperation(
  verifyAuditChainOperation,
  { access: 'audit', states: null },
  async (ctx, _input) => {
    const key = await ctx.chainKey();
    if (!ctx.auditCheckpoints) return verifyChain(ctx.store.db, key);
    const { publicKey, file } = ctx.auditCheckpoints;
    // From genesis, or from the signed anchor of a prune.
    const chain = await verifyLog(ctx.store.db, key, publicKey);
    if (!chain.ok) return chain;
    // The chain alone cannot see a cut tail or a log re-chained from scratch: the signed checkpoints can.
    const check = await checkCheckpoints(ctx.store.db, key, publicKey, file);
    if (!check.ok) return { ok: false as const, brokenAt: Math.max(1, check.seq) };
    // The log holds together: do the rows agree with it?
    const staleRows = await findStaleRows(ctx.store.db);
    return staleRows.length === 0 ? chain : { ...chain, ok: false, staleRows };
  },
);
