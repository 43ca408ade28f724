// KeyringDecrypt (Custos, MOSIP cryptomanager decrypt): reads MOSIP's hybrid bytes with the keyring key the
// thumbprint names (any generation), or the current key. Must not import anything but TypeBox and schemas.
import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { Binary } from '../schemas/common.js';
import { ApplicationId, ReferenceId } from '../schemas/keyrings.js';

/** KeyringDecrypt request. */
export const KeyringDecryptRequest = Type.Object(
  {
    applicationId: ApplicationId,
    referenceId: Type.Optional(ReferenceId),
    /** The raw MOSIP bytes (KEYPART ‖ #KEY_SPLITTER# ‖ DATAPART), not base64. */
    ciphertext: Type.Uint8Array({ minByteLength: 1, maxByteLength: 1049600 }),
    aad: Type.Optional(Binary),
    salt: Type.Optional(Binary),
  },
  { additionalProperties: false },
);
export type KeyringDecryptRequest = Static<typeof KeyringDecryptRequest>;

/** KeyringDecrypt response. */
export const KeyringDecryptResponse = Type.Object({ plaintext: Binary });
export type KeyringDecryptResponse = Static<typeof KeyringDecryptResponse>;

/** The KeyringDecrypt operation: POST /v1/keyrings/:applicationId/decrypt (Custos only). */
export const keyringDecryptOperation = contractOperation({
  method: 'keyringDecrypt',
  name: 'KeyringDecrypt',
  request: KeyringDecryptRequest,
  response: KeyringDecryptResponse,
  route: { method: 'POST', path: '/v1/keyrings/:applicationId/decrypt' },
  safeToRetry: true, // a read of the ciphertext
  aws: false,
});
