// GenerateDataKeyWithoutPlaintext (AWS KMS GenerateDataKeyWithoutPlaintext): a fresh data key, returned only encrypted under a key.
// Must not import anything but TypeBox and the contract's schemas and names.

import { type Static, Type } from '@sinclair/typebox';
import { Binary, DataKeySpecSchema, DryRun, EncryptionContext, GrantTokens, KeyIdString } from '../schemas/common.js';

/** GenerateDataKeyWithoutPlaintext request. */
export const GenerateDataKeyWithoutPlaintextRequest = Type.Object(
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
export type GenerateDataKeyWithoutPlaintextRequest = Static<typeof GenerateDataKeyWithoutPlaintextRequest>;

/** GenerateDataKeyWithoutPlaintext response. */
export const GenerateDataKeyWithoutPlaintextResponse = Type.Object({
  ciphertextBlob: Binary,
  keyId: Type.String(),
  keyMaterialId: Type.Optional(Type.String()),
});
export type GenerateDataKeyWithoutPlaintextResponse = Static<typeof GenerateDataKeyWithoutPlaintextResponse>;
