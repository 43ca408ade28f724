// ListKeyringCertificates (Custos, MOSIP key manager): every generation's certificate, newest first. Must not import api; the logic lives in service/keyrings/.
import { listKeyringCertificatesOperation } from '@custos/contract';
import { defineOperation } from '../define-operation.js';
import { allCertificates } from '../keyrings/certificates.js';
import { ringOf } from '../keyrings/rings.js';

export const listKeyringCertificates = defineOperation(
  listKeyringCertificatesOperation,
  { access: 'read', states: null },
  async (ctx, input) => ({ certificates: await allCertificates(ctx, ringOf(input)) }),
);
