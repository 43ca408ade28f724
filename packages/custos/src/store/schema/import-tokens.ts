// The `import_tokens` table: wrapping key pairs handed out for key material import, until they expire.
// Must not import service or api.
import type { Selectable } from 'kysely';
import type { Bytes, Int64 } from './columns.js';

export interface ImportTokensTable {
  id: string;
  key_id: string;
  wrapping_key_spec: string;
  wrapping_algorithm: string;
  wrapped_private_key: Bytes;
  public_key: Bytes;
  created_at: Int64;
  expires_at: Int64;
  /** MAC of the row's authenticated fields under a root-derived key (store/integrity.ts); NULL only before migration 005's rows are established. */
  row_mac: string | null;
  /** Check value of the root key that wrapped this row's material (migration 008); NULL = not recorded. Not in the row MAC: it only tells a root rotation what is left to re-wrap. */
  root_kcv: string | null;
}

export type ImportTokenRow = Selectable<ImportTokensTable>;
