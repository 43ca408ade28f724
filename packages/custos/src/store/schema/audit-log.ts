// The `audit_log` table: the hash-chained audit trail; `seq` is assigned by the database.
// Must not import service or api.
import type { ColumnType, Selectable } from 'kysely';
import type { Int64 } from './columns.js';

export interface AuditLogTable {
  /** INTEGER PRIMARY KEY AUTOINCREMENT on SQLite, BIGINT identity on PostgreSQL. */
  seq: ColumnType<number | string, never, never>;
  time: Int64;
  principal: string;
  operation: string;
  key_id: string | null;
  key_version: number | null;
  outcome: string;
  error_code: string | null;
  request_id: string;
  /** Canonical JSON text (sorted keys), exactly as hashed; null when there are none. */
  details: string | null;
  prev_hash: string;
  hash: string;
  /** 1: unkeyed SHA-256 chain (before migration 005); 2: HMAC-SHA-256 under a root-derived key. */
  chain: ColumnType<number, number | undefined, never>;
}

export type AuditRow = Selectable<AuditLogTable>;
