// GetPublicKey (AWS KMS GetPublicKey): the public half of an asymmetric key, as SPKI DER (AWS) and as a JWK (Custos).
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import {
  Binary,
  EncryptionAlgorithmSchema,
  GrantTokens,
  Jwk,
  KeyAgreementAlgorithmSchema,
  EncapsulationAlgorithmSchema,
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
  encapsulationAlgorithms: Type.Optional(Type.Array(EncapsulationAlgorithmSchema)),
  /** Custos: the same public key as a JWK (RFC 7517), `kid` = key id. */
  jwk: Jwk,
});
export type GetPublicKeyResponse = Static<typeof GetPublicKeyResponse>;

/** The GetPublicKey operation: GET /v1/keys/:keyId/public-key, and TrentService.GetPublicKey on the AWS protocol. */
export const getPublicKeyOperation = contractOperation({
  method: 'getPublicKey',
  name: 'GetPublicKey',
  request: GetPublicKeyRequest,
  response: GetPublicKeyResponse,
  route: { method: 'GET', path: '/v1/keys/:keyId/public-key' },
  safeToRetry: true, // a read
  aws: true,
});
