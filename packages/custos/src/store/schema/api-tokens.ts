// The `api_tokens` table: REST API bearer tokens (SHA-256 hex of the token, never the token), roles as JSON text.
// Must not import service or api.
import type { Selectable } from 'kysely';
import type { Int64 } from './columns.js';

export interface ApiTokensTable {
  id: string;
  principal: string;
  roles: string;
  token_hash: string;
  description: string;
  created_at: Int64;
  expires_at: Int64 | null;
  revoked_at: Int64 | null;
  last_used_at: Int64 | null;
  /** The principal's tags as JSON text (migration 013); NULL: none. In the row MAC when not NULL. */
  tags: string | null;
  /** MAC of the row's authenticated fields under a root-derived key (store/integrity.ts); NULL only before migration 005's rows are established. */
  row_mac: string | null;
}

export type ApiTokenRow = Selectable<ApiTokensTable>;
