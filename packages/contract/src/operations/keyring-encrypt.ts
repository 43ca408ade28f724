// KeyringEncrypt (Custos, MOSIP cryptomanager encrypt): MOSIP's hybrid RSA-OAEP + AES-256-GCM bytes for a keyring's
// current Base key (or its partner certificate). Must not import anything but TypeBox and the contract's schemas.
import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { Binary } from '../schemas/common.js';
import { ApplicationId, ReferenceId } from '../schemas/keyrings.js';

/** KeyringEncrypt request. */
export const KeyringEncryptRequest = Type.Object(
  {
    applicationId: ApplicationId,
    /** A Base key's reference id: a master key (empty, KERNEL/SIGN) is refused (KEYRING_MASTER_KEY_USE). */
    referenceId: Type.Optional(ReferenceId),
    data: Type.Uint8Array({ minByteLength: 1, maxByteLength: 1048576 }),
    /** GCM additional data (MOSIP `aad`). */
    aad: Type.Optional(Binary),
    /** The GCM IV (MOSIP `salt`), not stored: decrypt needs it again. */
    salt: Type.Optional(Binary),
    /** Ignored: the thumbprint is always prepended (MOSIP 1.2.0.x; kept for its request shape). */
    prependThumbprint: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type KeyringEncryptRequest = Static<typeof KeyringEncryptRequest>;

/** KeyringEncrypt response: the raw MOSIP bytes (KEYPART ‖ #KEY_SPLITTER# ‖ DATAPART), not base64. */
export const KeyringEncryptResponse = Type.Object({ ciphertext: Binary });
export type KeyringEncryptResponse = Static<typeof KeyringEncryptResponse>;

/** The KeyringEncrypt operation: POST /v1/keyrings/:applicationId/encrypt (Custos only). */
export const keyringEncryptOperation = contractOperation({
  method: 'keyringEncrypt',
  name: 'KeyringEncrypt',
  request: KeyringEncryptRequest,
  response: KeyringEncryptResponse,
  route: { method: 'POST', path: '/v1/keyrings/:applicationId/encrypt' },
  safeToRetry: true, // a fresh ciphertext each time, no state but the audit log
  aws: false,
});
