// PruneAuditRecords (Custos): deletes the records older than a date up to the newest signed checkpoint among them,
// which stays as the log's first record (the anchor); its own record, in the same transaction, names the anchor, so
// VerifyAuditChain can tell this prune from a deletion. Must not import api.
import { pruneAuditRecordsOperation } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';

export const pruneAuditRecords = defineOperation(
  pruneAuditRecordsOperation,
  { access: 'audit', states: null },
  async (ctx, input) => {
    return ctx.transaction(async (tx) => {
      // Only what a checkpoint covers: a record newer than every checkpoint is never deleted.
      const anchor = await repo.audit.checkpointBefore(tx, input.before.getTime());
      if (!anchor) {
        ctx.audit.details = { before: input.before.toISOString(), pruned: 0 };
        return { pruned: 0 };
      }
      const pruned = await repo.audit.deleteBefore(tx, anchor.seq);
      ctx.audit.details = { before: input.before.toISOString(), pruned, keptFrom: anchor.seq };
      return { pruned, keptFrom: anchor.seq };
    });
  },
);
