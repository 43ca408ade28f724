// GenerateDataKeyPairWithoutPlaintext (AWS KMS GenerateDataKeyPairWithoutPlaintext): a fresh key pair: public key, and private key only encrypted under a key.
// Must not import anything but TypeBox and the contract's schemas and names.

import { type Static, Type } from '@sinclair/typebox';
import { Binary, DataKeyPairSpecSchema, DryRun, EncryptionContext, GrantTokens, KeyIdString } from '../schemas/common.js';

/** GenerateDataKeyPairWithoutPlaintext request. */
export const GenerateDataKeyPairWithoutPlaintextRequest = Type.Object(
  {
    encryptionContext: Type.Optional(EncryptionContext),
    keyId: KeyIdString,
    keyPairSpec: DataKeyPairSpecSchema,
    grantTokens: Type.Optional(GrantTokens),
    dryRun: Type.Optional(DryRun),
  },
  { additionalProperties: false },
);
export type GenerateDataKeyPairWithoutPlaintextRequest = Static<typeof GenerateDataKeyPairWithoutPlaintextRequest>;

/** GenerateDataKeyPairWithoutPlaintext response. */
export const GenerateDataKeyPairWithoutPlaintextResponse = Type.Object({
  privateKeyCiphertextBlob: Binary,
  /** SubjectPublicKeyInfo DER. */
  publicKey: Binary,
  keyId: Type.String(),
  keyPairSpec: DataKeyPairSpecSchema,
  keyMaterialId: Type.Optional(Type.String()),
});
export type GenerateDataKeyPairWithoutPlaintextResponse = Static<typeof GenerateDataKeyPairWithoutPlaintextResponse>;
