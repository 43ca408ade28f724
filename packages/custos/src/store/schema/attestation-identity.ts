// The `attestation_identity` table: the attestation identity's certificate chain and the key it certifies.
// Must not import service or api.
import type { Selectable } from 'kysely';
import type { Int64 } from './columns.js';

export interface AttestationIdentityTable {
  /** Always 'default' (one identity per Custos). */
  id: string;
  /** SPKI DER of the attestation key, base64. */
  public_key: string;
  /** JSON array of PEM certificates: the identity's certificate first, the root last. */
  chain: string;
  created_at: Int64;
  updated_at: Int64;
  /** MAC of the row's authenticated fields under a root-derived key (store/integrity.ts). */
  row_mac: string | null;
}

export type AttestationIdentityRow = Selectable<AttestationIdentityTable>;
