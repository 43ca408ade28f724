// GenerateKeyringMasterKey (Custos, MOSIP key manager): the ROOT or a Module key, as a certificate or a CSR. Must not import api; the logic lives in service/keyrings/.
import { generateKeyringMasterKeyOperation } from '@custos/contract';
import { defineOperation } from '../define-operation.js';
import { masterKey } from '../keyrings/certificates.js';

export const generateKeyringMasterKey = defineOperation(
  generateKeyringMasterKeyOperation,
  { access: 'manage', states: null },
  (ctx, input) => masterKey(ctx, input),
);
