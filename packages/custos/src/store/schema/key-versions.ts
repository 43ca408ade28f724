// The `key_versions` table: one row per (key, version); wrapped material is NULL once destroyed.
// Must not import service or api.
import type { Selectable } from 'kysely';
import type { Bytes, Int64 } from './columns.js';

export interface KeyVersionsTable {
  key_id: string;
  version: number;
  wrapped_material: Bytes | null;
  public_key: Bytes | null;
  created_at: Int64;
  rotation_type: string | null;
  encryption_count: Int64;
  /** Check value of the material (not secret); survives destroyMaterial. */
  material_check: string | null;
  /** MAC of the row's authenticated fields under a root-derived key (store/integrity.ts); NULL only before migration 005's rows are established. */
  row_mac: string | null;
  /** The key store whose token holds an HSM version's key object; NULL = the root of trust's token (migration 006). */
  custom_key_store_id: string | null;
  /** Hex CKA_ID of an HSM version's key object in its token; NULL for software versions (migration 006). */
  token_object_id: string | null;
  /** Check value of the root key that wrapped this row's material (migration 008); NULL = not recorded. Not in the row MAC: it only tells a root rotation what is left to re-wrap. */
  root_kcv: string | null;
  /** Keyring Base keys: the Module key whose RSA key wraps this version's material inside the root's wrapping (migration 012); NULL otherwise. */
  wrapping_key_id: string | null;
}

export type KeyVersionRow = Selectable<KeyVersionsTable>;
