// A trust anchor as the wire shows it (TrustedCertificate), from its store record. Must not import api.
import type { TrustedCertificate } from '@custos/contract';
import type { TrustedCertificateRecord } from '../store/types.js';

export function trustedCertificateOf(record: TrustedCertificateRecord): TrustedCertificate {
  return {
    id: record.id,
    subject: record.subject,
    issuer: record.issuer,
    notBefore: record.notBefore,
    notAfter: record.notAfter,
    thumbprint: record.thumbprint,
    domain: record.domain,
    createdAt: record.createdAt,
    certificate: record.certificate,
  };
}
