// AcceptAuditMismatch (internal, the first start after an operator chose to start on an audit log that does not
// match its last checkpoint): writes what was found into the log itself. Must not import api.
import { defineInternalOperation } from '../define-operation.js';

/** What the start-up check found (service/audit/checkpoints.ts CheckpointCheck, failed). */
export interface AcceptAuditMismatchInput {
  readonly seq: number;
  readonly where: 'file' | 'database';
  readonly reason: string;
}

/** Records the accepted mismatch; the opener then signs a new checkpoint. */
export const acceptAuditMismatch = defineInternalOperation(
  'AcceptAuditMismatch',
  { access: 'audit', states: null },
  async (ctx, input: AcceptAuditMismatchInput): Promise<Record<string, never>> => {
    ctx.audit.details = { checkpointSeq: input.seq, where: input.where, reason: input.reason };
    return Promise.resolve({});
  },
);
