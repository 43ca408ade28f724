// ExportAuditRecords (Custos): one page of the audit log exactly as stored, with the signed checkpoints of its records,
// from the log's first record (genesis or a prune's anchor) up to the record PruneAuditRecords with the same date
// would keep as its anchor, so that export then prune loses nothing and the next export starts at that anchor.
// Must not import api.
import { exportAuditRecordsOperation } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';

/** Records per page when the caller gives no limit. */
const DEFAULT_PAGE = 1000;

export const exportAuditRecords = defineOperation(
  exportAuditRecordsOperation,
  { access: 'audit', states: null },
  async (ctx, input) => {
    const db = ctx.store.db;
    // The same cut as PruneAuditRecords: the newest checkpointed record older than the date.
    const cut = await repo.audit.checkpointBefore(db, input.before.getTime());
    const through = Math.min(cut?.seq ?? 0, input.through ?? Number.MAX_SAFE_INTEGER);
    ctx.audit.details = { before: input.before.toISOString(), after: input.after ?? 0, through };
    if (!cut) return { records: [], checkpoints: [] };
    const limit = input.limit ?? DEFAULT_PAGE;
    const records = await repo.audit.listChainedThrough(db, input.after, through, limit);
    const first = records.at(0);
    const last = records.at(-1);
    if (!first || !last) return { records: [], checkpoints: [], through };
    const checkpoints = await repo.audit.checkpointsBetween(db, first.seq, last.seq);
    return {
      records,
      checkpoints,
      through,
      ...(records.length === limit && last.seq < through ? { nextAfter: last.seq } : {}),
    };
  },
);
