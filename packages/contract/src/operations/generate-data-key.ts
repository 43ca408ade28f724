// GenerateDataKey (AWS KMS GenerateDataKey): a fresh data key, returned in plaintext and encrypted under a key.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { Binary, DataKeySpecSchema, DryRun, EncryptionContext, GrantTokens, KeyIdString } from '../schemas/common.js';
import { contractOperation } from '../operation.js';

/** GenerateDataKey request. */
export const GenerateDataKeyRequest = Type.Object(
  {
    keyId: KeyIdString,
    encryptionContext: Type.Optional(EncryptionContext),
    /** Exactly one of numberOfBytes and keySpec (a service rule, as in AWS). */
    numberOfBytes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1024 })),
    keySpec: Type.Optional(DataKeySpecSchema),
    grantTokens: Type.Optional(GrantTokens),
    dryRun: Type.Optional(DryRun),
  },
  { additionalProperties: false },
);
export type GenerateDataKeyRequest = Static<typeof GenerateDataKeyRequest>;

/** GenerateDataKey response. */
export const GenerateDataKeyResponse = Type.Object({
  ciphertextBlob: Binary,
  plaintext: Binary,
  keyId: Type.String(),
  keyMaterialId: Type.Optional(Type.String()),
});
export type GenerateDataKeyResponse = Static<typeof GenerateDataKeyResponse>;

/** The GenerateDataKey operation: POST /v1/keys/:keyId/data-key, and TrentService.GenerateDataKey on the AWS protocol. */
export const generateDataKeyOperation = contractOperation({
  method: 'generateDataKey',
  name: 'GenerateDataKey',
  request: GenerateDataKeyRequest,
  response: GenerateDataKeyResponse,
  route: { method: 'POST', path: '/v1/keys/:keyId/data-key' },
  safeToRetry: true, // a cryptographic operation: fresh results, no state but the audit log and use counts
  aws: true,
});
