// UpdateMinDecryptionVersion (Custos; Vault transit's min_decryption_version): ciphertexts of older versions of a
// symmetric encryption key are refused. Must not import anything but TypeBox and the contract's schemas and row.

import { type Static, Type } from '@sinclair/typebox';
import { KeyIdString } from '../schemas/common.js';
import { contractOperation } from '../operation.js';

/** UpdateMinDecryptionVersion request. */
export const UpdateMinDecryptionVersionRequest = Type.Object(
  {
    keyId: KeyIdString,
    /** 1 (all versions) up to the key's current version; never below versions already trimmed. */
    minDecryptionVersion: Type.Integer({ minimum: 1 }),
  },
  { additionalProperties: false },
);
export type UpdateMinDecryptionVersionRequest = Static<typeof UpdateMinDecryptionVersionRequest>;

/** UpdateMinDecryptionVersion response. */
export const UpdateMinDecryptionVersionResponse = Type.Object({
  keyId: Type.String(),
  minDecryptionVersion: Type.Integer({ minimum: 1 }),
  currentKeyVersion: Type.Integer({ minimum: 1 }),
});
export type UpdateMinDecryptionVersionResponse = Static<typeof UpdateMinDecryptionVersionResponse>;

/** The UpdateMinDecryptionVersion operation: PUT /v1/keys/:keyId/min-decryption-version (native only). */
export const updateMinDecryptionVersionOperation = contractOperation({
  method: 'updateMinDecryptionVersion',
  name: 'UpdateMinDecryptionVersion',
  request: UpdateMinDecryptionVersionRequest,
  response: UpdateMinDecryptionVersionResponse,
  route: { method: 'PUT', path: '/v1/keys/:keyId/min-decryption-version' },
  safeToRetry: true, // sets a value: the repeat sets the same
  aws: false,
});
