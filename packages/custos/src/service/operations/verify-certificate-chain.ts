// VerifyCertificateChain (Custos): path building to an anchor of the domain and RFC 5280's checks on it; a chain
// that fails is an answer (valid: false, reason), a text that is no certificate is INVALID_CERTIFICATE.
// Must not import api.
import { verifyCertificateChainOperation } from '@custos/contract';
import { verifyChain } from '../../core/certificates/path.js';
import { parseChain } from '../../core/certificates/x509.js';
import { DEFAULT_TRUST_DOMAIN, trustAnchors } from '../certificates.js';
import { defineOperation } from '../define-operation.js';

export const verifyCertificateChain = defineOperation(
  verifyCertificateChainOperation,
  { access: 'read', states: null },
  async (ctx, input) => {
    const chain = parseChain(input.certificateChain);
    const domain = input.domain ?? DEFAULT_TRUST_DOMAIN;
    const verdict = await verifyChain(chain, await trustAnchors(ctx.store.db, domain), input.at ?? ctx.now());
    ctx.audit.details = { domain, valid: verdict.valid, ...(verdict.reason ? { reason: verdict.reason } : {}) };
    return {
      valid: verdict.valid,
      path: verdict.path,
      ...(verdict.reason ? { reason: verdict.reason } : {}),
      ...(verdict.detail ? { detail: verdict.detail } : {}),
    };
  },
);
