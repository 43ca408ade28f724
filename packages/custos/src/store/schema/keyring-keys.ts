// The `keyring_keys` table (migration 012): MOSIP's key_alias, one row per generation of a keyring's key (or an
// uploaded partner certificate). Must not import service or api.
import type { Selectable } from 'kysely';
import type { Int64 } from './columns.js';

export interface KeyringKeysTable {
  id: string;
  application_id: string;
  /** '' = the application's master key (the root key for ROOT). */
  reference_id: string;
  kind: string;
  /** The Custos key; NULL for a partner certificate (no private key here). */
  key_id: string | null;
  /** PEM certificate; NULL for a symmetric key. */
  certificate: string | null;
  /** Upper-hex SHA-256 of the certificate's DER; NULL for a symmetric key. */
  thumbprint: string | null;
  unique_identifier: string;
  generated_at: Int64;
  expires_at: Int64;
  created_at: Int64;
  /** MAC of the row's authenticated fields under a root-derived key (store/integrity.ts). */
  row_mac: string | null;
}

export type KeyringKeyRow = Selectable<KeyringKeysTable>;
