// The `trusted_certificates` table: the trust store's anchors, per domain (unique by domain and SHA-256 thumbprint).
// Must not import service or api.
import type { Selectable } from 'kysely';
import type { Int64 } from './columns.js';

export interface TrustedCertificatesTable {
  id: string;
  domain: string;
  /** SHA-256 of the certificate's DER, lower-case hex. */
  thumbprint: string;
  subject: string;
  issuer: string;
  not_before: Int64;
  not_after: Int64;
  /** PEM. */
  certificate: string;
  created_at: Int64;
  /** MAC of the row's authenticated fields under a root-derived key (store/integrity.ts). */
  row_mac: string | null;
}

export type TrustedCertificateRow = Selectable<TrustedCertificatesTable>;
