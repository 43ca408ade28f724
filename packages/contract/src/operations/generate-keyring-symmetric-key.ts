// GenerateKeyringSymmetricKey (Custos, MOSIP generateSymmetricKey): an AES-256 key in a keyring.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.
import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { ApplicationId, ReferenceId } from '../schemas/keyrings.js';

/** GenerateKeyringSymmetricKey request. */
export const GenerateKeyringSymmetricKeyRequest = Type.Object(
  {
    applicationId: ApplicationId,
    referenceId: ReferenceId,
    /** Replace a current key; without it, an existing current key is kept (`generated: false`). */
    force: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type GenerateKeyringSymmetricKeyRequest = Static<typeof GenerateKeyringSymmetricKeyRequest>;

/** GenerateKeyringSymmetricKey response. */
export const GenerateKeyringSymmetricKeyResponse = Type.Object({ keyId: Type.String(), generated: Type.Boolean() });
export type GenerateKeyringSymmetricKeyResponse = Static<typeof GenerateKeyringSymmetricKeyResponse>;

/** The GenerateKeyringSymmetricKey operation: POST /v1/keyrings/:applicationId/symmetric-key (Custos only). */
export const generateKeyringSymmetricKeyOperation = contractOperation({
  method: 'generateKeyringSymmetricKey',
  name: 'GenerateKeyringSymmetricKey',
  request: GenerateKeyringSymmetricKeyRequest,
  response: GenerateKeyringSymmetricKeyResponse,
  route: { method: 'POST', path: '/v1/keyrings/:applicationId/symmetric-key' },
  safeToRetry: false, // with force, a repeat replaces the key again
  aws: false,
});
