// The `custom_key_stores` table: AWS custom key stores on PKCS#11 tokens — the PIN wrapped by the root of trust, the
// desired connection state. Must not import service or api.
import type { Selectable } from 'kysely';
import type { Bytes, Int64 } from './columns.js';

export interface CustomKeyStoresTable {
  id: string;
  name: string;
  token_label: string;
  wrapped_pin: Bytes;
  trust_anchor: string;
  connection_state: string;
  connection_error_code: string | null;
  created_at: Int64;
  /** MAC of the row's authenticated fields under a root-derived key (store/integrity.ts). */
  row_mac: string | null;
  /** Check value of the root key that wrapped the PIN (migration 008); NULL = not recorded. Not in the row MAC. */
  root_kcv: string | null;
}

export type CustomKeyStoreRow = Selectable<CustomKeyStoresTable>;
