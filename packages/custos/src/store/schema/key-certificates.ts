// The `key_certificates` table: a key's certificate chain (PEMs, leaf first) and the key version its leaf certifies.
// Must not import service or api.
import type { Selectable } from 'kysely';
import type { Int64 } from './columns.js';

export interface KeyCertificatesTable {
  key_id: string;
  key_version: Int64;
  /** JSON array of PEM certificates, leaf first. */
  chain: string;
  created_at: Int64;
  updated_at: Int64;
  /** MAC of the row's authenticated fields under a root-derived key (store/integrity.ts). */
  row_mac: string | null;
}

export type KeyCertificateRow = Selectable<KeyCertificatesTable>;
