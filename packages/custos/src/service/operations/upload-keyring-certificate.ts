// UploadKeyringCertificate (Custos, MOSIP key manager): an external CA's certificate for the current key. Must not import api; the logic lives in service/keyrings/.
import { uploadKeyringCertificateOperation } from '@custos/contract';
import { defineOperation } from '../define-operation.js';
import { ringOf } from '../keyrings/rings.js';
import { uploadKeyringCertificate as upload } from '../keyrings/uploads.js';

export const uploadKeyringCertificate = defineOperation(
  uploadKeyringCertificateOperation,
  { access: 'manage', states: null },
  async (ctx, input) => {
    await upload(ctx, ringOf(input), input.certificate);
    return {};
  },
);
