// The `aliases` table: alias name → key id (primary key name, indexed by key_id).
// Must not import service or api.
import type { Selectable } from 'kysely';
import type { Int64 } from './columns.js';

export interface AliasesTable {
  name: string;
  key_id: string;
  created_at: Int64;
  updated_at: Int64;
  /** MAC of the row's authenticated fields under a root-derived key (store/integrity.ts); NULL only before migration 005's rows are established. */
  row_mac: string | null;
}

export type AliasRow = Selectable<AliasesTable>;
