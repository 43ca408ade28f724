// PruneAuditRecords (Custos only): deletes the audit records older than a date that a signed checkpoint covers,
// keeping the chain verifiable from the checkpointed record on. Must not import anything but TypeBox and the
// contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';

/** PruneAuditRecords request. */
export const PruneAuditRecordsRequest = Type.Object(
  {
    /** Records older than this go, up to (not including) the newest checkpointed record older than it. */
    before: Type.Date(),
  },
  { additionalProperties: false },
);
export type PruneAuditRecordsRequest = Static<typeof PruneAuditRecordsRequest>;

/** PruneAuditRecords response. */
export const PruneAuditRecordsResponse = Type.Object({
  /** How many records were deleted (0 when no checkpoint covers any record before the date). */
  pruned: Type.Integer({ minimum: 0 }),
  /** The checkpointed record the log now starts at (the anchor), when records were deleted. */
  keptFrom: Type.Optional(Type.Integer({ minimum: 1 })),
});
export type PruneAuditRecordsResponse = Static<typeof PruneAuditRecordsResponse>;

/** The PruneAuditRecords operation: POST /v1/audit/prune (Custos only). */
export const pruneAuditRecordsOperation = contractOperation({
  method: 'pruneAuditRecords',
  name: 'PruneAuditRecords',
  request: PruneAuditRecordsRequest,
  response: PruneAuditRecordsResponse,
  route: { method: 'POST', path: '/v1/audit/prune' },
  safeToRetry: true, // a second prune with the same date finds nothing more to delete
  aws: false,
});
