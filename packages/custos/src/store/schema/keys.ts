// The `keys` table: one row per key (KeyRecord), with usage constraints, rotation and keyring columns.
// Must not import service or api.
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Flag, Int64 } from './columns.js';

export interface KeysTable {
  id: string;
  spec: string;
  usage: string;
  state: string;
  origin: string;
  protection_level: string;
  description: string;
  exportable: Flag;
  created_at: Int64;
  updated_at: Int64;
  deletion_date: Int64 | null;
  pending_window_days: number | null;
  latest_version: number;
  rotation_enabled: Flag;
  rotation_period_days: number | null;
  next_rotation_at: Int64 | null;
  /** JSON array of algorithm names, or null for "all the spec supports". */
  allowed_algorithms: string | null;
  not_before: Int64 | null;
  not_after: Int64 | null;
  max_uses: Int64 | null;
  use_count: Int64;
  material_expires_at: Int64 | null;
  application_id: string | null;
  reference_id: string | null;
  policy: string | null;
  /** Whether GET /.well-known/jwks.json shows the key's public JWK (migration 010; authenticated, LATER_COLUMNS). */
  publish_jwk: Flag;
  /** Whether every use needs the key's PIN (migration 015; authenticated, LATER_COLUMNS; the PIN is in key_pins). */
  pin_protected: Flag;
  /** Whether the key is a public key alone, with no private material (migration 017; authenticated, LATER_COLUMNS). */
  public_key_only: Flag;
  /** The oldest version Decrypt accepts (migration 016; authenticated, LATER_COLUMNS). */
  min_decryption_version: number;
  /** Versions below it are trimmed, or scheduled to be at trim_date; the minimum never goes below it (016; LATER_COLUMNS). */
  trim_floor: number;
  /** When a scheduled trim destroys the versions below trim_floor; NULL when none is pending (016; authenticated). */
  trim_date: Int64 | null;
  /** MAC of the row's authenticated fields under a root-derived key (store/integrity.ts); NULL only before migration 005's rows are established. */
  row_mac: string | null;
}

export type KeyRow = Selectable<KeysTable>;
export type NewKeyRow = Insertable<KeysTable>;
export type KeyRowUpdate = Updateable<KeysTable>;
