// AddTrustedCertificate (Custos): pins a certificate as a trust anchor of a domain (ALREADY_EXISTS if it is).
// Must not import api.
import { randomUUID } from 'node:crypto';
import { addTrustedCertificateOperation } from '@custos/contract';
import { parseCertificate, pemOf, thumbprints } from '../../core/certificates/x509.js';
import * as repo from '../../store/repositories/index.js';
import type { TrustedCertificateRecord } from '../../store/types.js';
import { DEFAULT_TRUST_DOMAIN } from '../certificates.js';
import { defineOperation } from '../define-operation.js';
import { trustedCertificateOf } from '../trust-records.js';

export const addTrustedCertificate = defineOperation(
  addTrustedCertificateOperation,
  { access: 'manage', states: null },
  async (ctx, input) => {
    const certificate = parseCertificate(input.certificate);
    const record: TrustedCertificateRecord = {
      id: randomUUID(),
      domain: input.domain ?? DEFAULT_TRUST_DOMAIN,
      thumbprint: thumbprints(certificate).sha256,
      subject: certificate.subject,
      issuer: certificate.issuer,
      notBefore: certificate.notBefore,
      notAfter: certificate.notAfter,
      certificate: pemOf(certificate),
      createdAt: ctx.now(),
    };
    ctx.audit.details = {
      id: record.id,
      domain: record.domain,
      subject: record.subject,
      thumbprint: record.thumbprint,
    };
    await ctx.transaction((tx) => repo.trustedCertificates.insert(tx, record));
    return trustedCertificateOf(record);
  },
);
