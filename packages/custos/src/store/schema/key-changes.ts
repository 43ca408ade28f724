// The `key_changes` table (SQLite only, migration 019): one row per change to what a key cache holds, written by
// triggers, polled by every process of the store (sqlite-key-changes.ts), pruned by maintenance. Must not import
// service or api.
import type { Int64 } from './columns.js';

export interface KeyChangesTable {
  seq: Int64;
  key_id: string;
  /** Seconds since the epoch, the database's clock. */
  changed_at: Int64;
}
