// CreateKeyringCsr (Custos, MOSIP key manager): a PKCS#10 request for the current key. Must not import api; the logic lives in service/keyrings/.
import { createKeyringCsrOperation } from '@custos/contract';
import { defineOperation } from '../define-operation.js';
import { keyringCsr } from '../keyrings/certificates.js';
import { ringOf } from '../keyrings/rings.js';

export const createKeyringCsr = defineOperation(
  createKeyringCsrOperation,
  { access: 'manage', states: null },
  (ctx, input) => keyringCsr(ctx, ringOf(input), input.subject),
);
