// GenerateDataKeyPair (AWS KMS GenerateDataKeyPair): a fresh key pair: public key, private key in plaintext (PKCS#8 DER) and encrypted under a key.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
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

/** The GenerateDataKeyPair operation: POST /v1/keys/:keyId/data-key-pair, and TrentService.GenerateDataKeyPair on the AWS protocol. */
export const generateDataKeyPairOperation = contractOperation({
  method: 'generateDataKeyPair',
  name: 'GenerateDataKeyPair',
  request: GenerateDataKeyPairRequest,
  response: GenerateDataKeyPairResponse,
  route: { method: 'POST', path: '/v1/keys/:keyId/data-key-pair' },
  safeToRetry: true, // a cryptographic operation: fresh results, no state but the audit log and use counts
  aws: true,
});
