// UploadPartnerCertificate (Custos, MOSIP key manager): a partner's certificate, no private key. Must not import api; the logic lives in service/keyrings/.
import { uploadPartnerCertificateOperation } from '@custos/contract';
import { defineOperation } from '../define-operation.js';
import { ringOf } from '../keyrings/rings.js';
import { uploadPartnerCertificate as upload } from '../keyrings/uploads.js';

export const uploadPartnerCertificate = defineOperation(
  uploadPartnerCertificateOperation,
  { access: 'manage', states: null },
  async (ctx, input) => {
    await upload(ctx, ringOf(input), input.certificate);
    return {};
  },
);
