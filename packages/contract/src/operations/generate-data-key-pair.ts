// GenerateDataKeyPair (AWS KMS GenerateDataKeyPair): a fresh key pair: public key, private key in plaintext (PKCS#8 DER) and encrypted under a key.
// Must not import anything but TypeBox and the contract's schemas and names.

import { type Static, Type } from '@sinclair/typebox';
import {
  Binary,
  DataKeyPairSpecSchema,
  DryRun,
  EncryptionContext,
  GrantTokens,
  KeyIdString,
} from '../schemas/common.js';

/** GenerateDataKeyPair request. */
export const GenerateDataKeyPairRequest = Type.Object(
  {
    encryptionContext: Type.Optional(EncryptionContext),
    keyId: KeyIdString,
    keyPairSpec: DataKeyPairSpecSchema,
    grantTokens: Type.Optional(GrantTokens),
    dryRun: Type.Optional(DryRun),
  },
  { additionalProperties: false },
);
export type GenerateDataKeyPairRequest = Static<typeof GenerateDataKeyPairRequest>;

/** GenerateDataKeyPair response. */
export const GenerateDataKeyPairResponse = Type.Object({
  privateKeyCiphertextBlob: Binary,
  privateKeyPlaintext: Binary,
  /** SubjectPublicKeyInfo DER. */
  publicKey: Binary,
  keyId: Type.String(),
  keyPairSpec: DataKeyPairSpecSchema,
  keyMaterialId: Type.Optional(Type.String()),
});
export type GenerateDataKeyPairResponse = Static<typeof GenerateDataKeyPairResponse>;
