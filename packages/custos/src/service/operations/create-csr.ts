// CreateCsr (Custos): a PKCS#10 request for an asymmetric signing key, signed by the key here.
// Must not import api.
import { createCsrOperation } from '@custos/contract';
import { createCsr as buildCsr } from '../../core/certificates/issue.js';
import { pemOf } from '../../core/certificates/x509.js';
import { keySigner } from '../certificates.js';
import { defineOperation } from '../define-operation.js';
import { loadKey } from '../key-loading.js';
import { keyArn } from '../key-ref.js';
import { USABLE } from '../lifecycle.js';

export const createCsr = defineOperation(createCsrOperation, { access: 'use', states: USABLE }, async (ctx, input) => {
  const key = await loadKey(ctx, ctx.store.db, input.keyId);
  const signer = await keySigner(ctx, key, input.signingAlgorithm);
  const csr = await buildCsr(signer, input.subject, input.subjectAltNames);
  ctx.audit.details = { subject: csr.subject, signingAlgorithm: signer.algorithm };
  return { keyId: keyArn(ctx.config, key.id), csr: pemOf(csr) };
});
