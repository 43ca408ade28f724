// VerifyAuditChain (Custos): recomputes the audit hash chain and names the first record that does not match, then
// checks the log against the last signed checkpoint (brokenAt: the checkpoint's seq when the log does not match it),
// then the rows against the log (staleRows: rows put back from an earlier moment, integrity/freshness.ts).
// then checks the audit receipts it is given against the log (a receipt whose record is gone proves truncation).
// Must not import api.
import { verifyAuditChainOperation, type ReceiptCheck, type VerifyAuditChainResponse } from '@custos/contract';
import { audit, type Db } from '../../store/index.js';
import { verifyChain, type ChainVerification } from '../audit/audit-log.js';
import { checkCheckpoints, verifyLog } from '../audit/checkpoints.js';
import { readReceipt } from '../audit/receipts.js';
import { defineOperation } from '../define-operation.js';
import { findStaleRows } from '../integrity/freshness.js';
import type { OpContext } from '../context.js';

export const verifyAuditChain = defineOperation(
  verifyAuditChainOperation,
  { access: 'audit', states: null },
  async (ctx, input): Promise<VerifyAuditChainResponse> => {
    const chain = await verifyWholeLog(ctx);
    // The log holds together: do the rows agree with it?
    const staleRows = chain.ok ? await findStaleRows(ctx.store.db) : [];
    const verified = staleRows.length === 0 ? chain : { ...chain, ok: false, staleRows };
    if (input.receipts === undefined) return verified;
    const receipts = await checkReceipts(ctx, ctx.store.db, input.receipts, chain.ok);
    // A receipt that proves a record missing or rewritten breaks the log, at the first such record.
    const proof = receipts.find((r) => r.status === 'missing' || r.status === 'mismatch');
    if (chain.ok && proof) return { ok: false, brokenAt: Math.max(1, proof.seq ?? 1), receipts };
    return { ...verified, receipts };
  },
);

async function verifyWholeLog(ctx: OpContext): Promise<ChainVerification> {
  const key = await ctx.chainKey();
  if (!ctx.auditCheckpoints) return verifyChain(ctx.store.db, key);
  const { publicKey, file } = ctx.auditCheckpoints;
  // From genesis, or from the signed anchor of a prune.
  const chain = await verifyLog(ctx.store.db, key, publicKey);
  if (!chain.ok) return chain;
  // The chain alone cannot see a cut tail or a log re-chained from scratch: the signed checkpoints can.
  const check = await checkCheckpoints(ctx.store.db, key, publicKey, file);
  return check.ok ? chain : { ok: false as const, brokenAt: Math.max(1, check.seq) };
}

/**
 * Each receipt's result. A record older than the log's first is `pruned` only when the log verified (then its
 * start is a signed anchor a recorded prune names); otherwise it is `missing`.
 */
async function checkReceipts(
  ctx: OpContext,
  db: Db,
  receipts: readonly string[],
  logVerified: boolean,
): Promise<ReceiptCheck[]> {
  const key = await ctx.receiptKey();
  const first = await audit.firstChained(db);
  const results: ReceiptCheck[] = [];
  for (const text of receipts) {
    const statement = readReceipt(key, text);
    if (!statement) {
      results.push({ status: 'invalid' });
      continue;
    }
    const { seq, requestId, operation } = statement;
    const record = await audit.getChained(db, seq);
    let status: ReceiptCheck['status'];
    if (!record) status = logVerified && first !== undefined && seq < first.seq ? 'pruned' : 'missing';
    else if (
      record.hash !== statement.hash ||
      record.requestId !== requestId ||
      record.operation !== operation ||
      record.keyId !== statement.keyId ||
      record.time !== statement.time
    )
      status = 'mismatch';
    else status = 'valid';
    results.push({ status, seq, requestId, operation });
  }
  return results;
}
