// The `access_keys` table: AWS-style access keys (SigV4) — the secret wrapped by the root of trust, roles as JSON text.
// Must not import service or api.
import type { Selectable } from 'kysely';
import type { Bytes, Int64 } from './columns.js';

export interface AccessKeysTable {
  id: string;
  principal: string;
  roles: string;
  wrapped_secret: Bytes;
  description: string;
  created_at: Int64;
  revoked_at: Int64 | null;
  last_used_at: Int64 | null;
  /** The principal's tags as JSON text (migration 013); NULL: none. In the row MAC when not NULL. */
  tags: string | null;
  /** MAC of the row's authenticated fields under a root-derived key (store/integrity.ts); NULL only before migration 005's rows are established. */
  row_mac: string | null;
  /** Check value of the root key that wrapped this row's material (migration 008); NULL = not recorded. Not in the row MAC: it only tells a root rotation what is left to re-wrap. */
  root_kcv: string | null;
}

export type AccessKeyRow = Selectable<AccessKeysTable>;
