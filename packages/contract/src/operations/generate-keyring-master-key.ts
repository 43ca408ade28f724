// GenerateKeyringMasterKey (Custos, MOSIP generateMasterKey): the ROOT key or an application's Module key (or
// KERNEL/SIGN), with its certificate or a CSR. Must not import anything but TypeBox and the contract's schemas.
import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { ApplicationId, KeyringSubject, ReferenceId } from '../schemas/keyrings.js';

/** GenerateKeyringMasterKey request. */
export const GenerateKeyringMasterKeyRequest = Type.Object(
  {
    applicationId: ApplicationId,
    /** "" or absent: the application's master key; `SIGN` with application `KERNEL`. */
    referenceId: Type.Optional(ReferenceId),
    /** Replace a current key (and re-certify the keys below it); without it, the current key is returned. */
    force: Type.Optional(Type.Boolean()),
    objectType: Type.Union([Type.Literal('CERTIFICATE'), Type.Literal('CSR')]),
    subject: Type.Optional(KeyringSubject),
  },
  { additionalProperties: false },
);
export type GenerateKeyringMasterKeyRequest = Static<typeof GenerateKeyringMasterKeyRequest>;

/** GenerateKeyringMasterKey response: the certificate (objectType CERTIFICATE) or a CSR (objectType CSR). */
export const GenerateKeyringMasterKeyResponse = Type.Object({
  certificate: Type.Optional(Type.String()),
  csr: Type.Optional(Type.String()),
  issuedAt: Type.Date(),
  expiresAt: Type.Date(),
  keyId: Type.String(),
});
export type GenerateKeyringMasterKeyResponse = Static<typeof GenerateKeyringMasterKeyResponse>;

/** The GenerateKeyringMasterKey operation: POST /v1/keyrings/:applicationId/master-key (Custos only). */
export const generateKeyringMasterKeyOperation = contractOperation({
  method: 'generateKeyringMasterKey',
  name: 'GenerateKeyringMasterKey',
  request: GenerateKeyringMasterKeyRequest,
  response: GenerateKeyringMasterKeyResponse,
  route: { method: 'POST', path: '/v1/keyrings/:applicationId/master-key' },
  safeToRetry: false, // with force, a repeat replaces the key again
  aws: false,
});
