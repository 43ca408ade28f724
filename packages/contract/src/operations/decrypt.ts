// Decrypt (AWS KMS Decrypt): decrypts a ciphertext blob; the key is read from the blob unless given.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import {
  Binary,
  DryRun,
  EncryptionAlgorithmSchema,
  EncryptionContext,
  GrantTokens,
  KeyIdString,
  MAX_CIPHERTEXT_BYTES,
  binary,
} from '../schemas/common.js';
import { contractOperation } from '../operation.js';

/** Decrypt request. */
export const DecryptRequest = Type.Object(
  {
    ciphertextBlob: binary(1, MAX_CIPHERTEXT_BYTES),
    encryptionContext: Type.Optional(EncryptionContext),
    grantTokens: Type.Optional(GrantTokens),
    keyId: Type.Optional(KeyIdString),
    encryptionAlgorithm: Type.Optional(EncryptionAlgorithmSchema),
    dryRun: Type.Optional(DryRun),
  },
  { additionalProperties: false },
);
export type DecryptRequest = Static<typeof DecryptRequest>;

/** Decrypt response. */
export const DecryptResponse = Type.Object({
  keyId: Type.String(),
  plaintext: Binary,
  encryptionAlgorithm: EncryptionAlgorithmSchema,
  keyMaterialId: Type.Optional(Type.String()),
});
export type DecryptResponse = Static<typeof DecryptResponse>;

/** The Decrypt operation: POST /v1/decrypt, and TrentService.Decrypt on the AWS protocol. */
export const decryptOperation = contractOperation({
  method: 'decrypt',
  name: 'Decrypt',
  request: DecryptRequest,
  response: DecryptResponse,
  route: { method: 'POST', path: '/v1/decrypt' },
  safeToRetry: true, // a cryptographic operation: fresh results, no state but the audit log and use counts
  aws: true,
});
