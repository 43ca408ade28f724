// The `grants` table: AWS KMS grants on keys (operations, grantee, retiring principal, constraints), row-MAC'd.
// Must not import service or api.
import type { Selectable } from 'kysely';
import type { Int64 } from './columns.js';

export interface GrantsTable {
  /** The GrantId: 64 lower-case hex digits. */
  id: string;
  key_id: string;
  /** IAM ARN of the principal the grant lets use the key. */
  grantee_principal: string;
  /** IAM ARN of the principal that may retire the grant, or NULL. */
  retiring_principal: string | null;
  /** JSON array of grant operation names (AWS GrantOperation). */
  operations: string;
  /** JSON object `{ encryptionContextEquals?, encryptionContextSubset? }`, or NULL. */
  constraints: string | null;
  /** The idempotency name CreateGrant was given, or NULL. */
  name: string | null;
  /** IAM ARN of the principal that created the grant. */
  issuing_principal: string;
  created_at: Int64;
  /** MAC of the row's authenticated fields under a root-derived key (store/integrity.ts). */
  row_mac: string | null;
}

export type GrantRow = Selectable<GrantsTable>;
