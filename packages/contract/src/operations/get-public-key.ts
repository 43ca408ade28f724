// GetPublicKey (AWS KMS GetPublicKey): the public half of an asymmetric key, as SPKI DER (AWS) and as a JWK (Custos).
// Must not import anything but TypeBox and the contract's schemas and names.

import { type Static, Type } from '@sinclair/typebox';
import {
  Binary,
  EncryptionAlgorithmSchema,
  GrantTokens,
  Jwk,
  KeyAgreementAlgorithmSchema,
  KeyIdString,
  KeySpecSchema,
  KeyUsageSchema,
  SigningAlgorithmSchema,
} from '../schemas/common.js';

/** GetPublicKey request. */
export const GetPublicKeyRequest = Type.Object(
  {
    keyId: KeyIdString,
    grantTokens: Type.Optional(GrantTokens),
  },
  { additionalProperties: false },
);
export type GetPublicKeyRequest = Static<typeof GetPublicKeyRequest>;

/** GetPublicKey response. */
export const GetPublicKeyResponse = Type.Object({
  keyId: Type.String(),
  /** SubjectPublicKeyInfo DER. */
  publicKey: Binary,
  customerMasterKeySpec: KeySpecSchema,
  keySpec: KeySpecSchema,
  keyUsage: KeyUsageSchema,
  encryptionAlgorithms: Type.Optional(Type.Array(EncryptionAlgorithmSchema)),
  signingAlgorithms: Type.Optional(Type.Array(SigningAlgorithmSchema)),
  keyAgreementAlgorithms: Type.Optional(Type.Array(KeyAgreementAlgorithmSchema)),
  /** Custos: the same public key as a JWK (RFC 7517), `kid` = key id. */
  jwk: Jwk,
});
export type GetPublicKeyResponse = Static<typeof GetPublicKeyResponse>;
