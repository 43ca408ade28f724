// The `audit_checkpoints` table: the audit chain's head (seq, hash) at a moment, signed by the audit signing key.
// Must not import service or api.
import type { Selectable } from 'kysely';
import type { Int64 } from './columns.js';

export interface AuditCheckpointsTable {
  seq: Int64;
  hash: string;
  time: Int64;
  signature: string;
}

export type AuditCheckpointRow = Selectable<AuditCheckpointsTable>;
