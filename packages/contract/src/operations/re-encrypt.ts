// ReEncrypt (AWS KMS ReEncrypt): decrypts under one key and encrypts under another without exposing the plaintext.
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

/** ReEncrypt request. */
export const ReEncryptRequest = Type.Object(
  {
    ciphertextBlob: binary(1, MAX_CIPHERTEXT_BYTES),
    sourceEncryptionContext: Type.Optional(EncryptionContext),
    sourceKeyId: Type.Optional(KeyIdString),
    destinationKeyId: KeyIdString,
    destinationEncryptionContext: Type.Optional(EncryptionContext),
    sourceEncryptionAlgorithm: Type.Optional(EncryptionAlgorithmSchema),
    destinationEncryptionAlgorithm: Type.Optional(EncryptionAlgorithmSchema),
    grantTokens: Type.Optional(GrantTokens),
    dryRun: Type.Optional(DryRun),
  },
  { additionalProperties: false },
);
export type ReEncryptRequest = Static<typeof ReEncryptRequest>;

/** ReEncrypt response. */
export const ReEncryptResponse = Type.Object({
  ciphertextBlob: Binary,
  sourceKeyId: Type.String(),
  keyId: Type.String(),
  sourceEncryptionAlgorithm: EncryptionAlgorithmSchema,
  destinationEncryptionAlgorithm: EncryptionAlgorithmSchema,
  sourceKeyMaterialId: Type.Optional(Type.String()),
  destinationKeyMaterialId: Type.Optional(Type.String()),
});
export type ReEncryptResponse = Static<typeof ReEncryptResponse>;

/** The ReEncrypt operation: POST /v1/re-encrypt, and TrentService.ReEncrypt on the AWS protocol. */
export const reEncryptOperation = contractOperation({
  method: 'reEncrypt',
  name: 'ReEncrypt',
  request: ReEncryptRequest,
  response: ReEncryptResponse,
  route: { method: 'POST', path: '/v1/re-encrypt' },
  safeToRetry: true, // a cryptographic operation: fresh results, no state but the audit log and use counts
  aws: true,
});
