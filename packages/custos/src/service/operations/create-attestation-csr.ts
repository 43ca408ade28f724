// CreateAttestationCsr (Custos): a PKCS#10 request for the attestation key, signed by it, for an operator's CA.
// Admin only (`tokens`, as Seal: it concerns the server's own identity). Must not import api.
import { createAttestationCsrOperation } from '@custos/contract';
import { identitySigner } from '../../core/attestation/certificate.js';
import { createCsr } from '../../core/certificates/issue.js';
import { pemOf } from '../../core/certificates/x509.js';
import { attestationIdentity } from '../attestation/identity.js';
import { defineOperation } from '../define-operation.js';

export const createAttestationCsr = defineOperation(
  createAttestationCsrOperation,
  { access: 'tokens', states: null },
  async (ctx, input) => {
    const identity = await attestationIdentity(ctx);
    const csr = await createCsr(identitySigner(identity), input.subject ?? 'CN=Custos attestation');
    ctx.audit.details = { subject: csr.subject };
    return { csr: pemOf(csr) };
  },
);
