// Encrypt (AWS KMS Encrypt): encrypts up to 4096 bytes under a key.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import {
  Binary,
  DryRun,
  EncryptionAlgorithmSchema,
  EncryptionContext,
  GrantTokens,
  KeyIdString,
  binary,
  MAX_MESSAGE_BYTES,
} from '../schemas/common.js';
import { contractOperation } from '../operation.js';

/** Encrypt request. */
export const EncryptRequest = Type.Object(
  {
    keyId: KeyIdString,
    plaintext: binary(1, MAX_MESSAGE_BYTES),
    encryptionContext: Type.Optional(EncryptionContext),
    grantTokens: Type.Optional(GrantTokens),
    encryptionAlgorithm: Type.Optional(EncryptionAlgorithmSchema),
    dryRun: Type.Optional(DryRun),
  },
  { additionalProperties: false },
);
export type EncryptRequest = Static<typeof EncryptRequest>;

/** Encrypt response. */
export const EncryptResponse = Type.Object({
  ciphertextBlob: Binary,
  keyId: Type.String(),
  encryptionAlgorithm: EncryptionAlgorithmSchema,
});
export type EncryptResponse = Static<typeof EncryptResponse>;

/** The Encrypt operation: POST /v1/keys/:keyId/encrypt, and TrentService.Encrypt on the AWS protocol. */
export const encryptOperation = contractOperation({
  method: 'encrypt',
  name: 'Encrypt',
  request: EncryptRequest,
  response: EncryptResponse,
  route: { method: 'POST', path: '/v1/keys/:keyId/encrypt' },
  safeToRetry: true, // a cryptographic operation: fresh results, no state but the audit log and use counts
  aws: true,
});
