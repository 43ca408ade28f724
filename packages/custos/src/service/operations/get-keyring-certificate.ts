// GetKeyringCertificate (Custos, MOSIP key manager): the current key's certificate, generated on first use. Must not import api; the logic lives in service/keyrings/.
import { getKeyringCertificateOperation } from '@custos/contract';
import { defineOperation } from '../define-operation.js';
import { currentCertificate } from '../keyrings/certificates.js';
import { ringOf } from '../keyrings/rings.js';

export const getKeyringCertificate = defineOperation(
  getKeyringCertificateOperation,
  { access: 'read', states: null },
  (ctx, input) => currentCertificate(ctx, ringOf(input)),
);
