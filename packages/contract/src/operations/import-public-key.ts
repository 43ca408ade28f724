// ImportPublicKey (Custos only): a public key (SPKI DER, PEM or JWK) imported as a key of its own, usable to verify
// and to encrypt (RSA-OAEP); Custos holds no private key for it. Must not import anything but TypeBox and the
// contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { Description, KeyMetadata, KeySpecSchema, KeyUsageSchema, Tag, binary } from '../schemas/common.js';

/** ImportPublicKey request. */
export const ImportPublicKeyRequest = Type.Object(
  {
    /** SubjectPublicKeyInfo DER, or the UTF-8 text of a PEM `PUBLIC KEY` block or of a public JWK. */
    publicKey: binary(1, 16384),
    /** SIGN_VERIFY (RSA, EC, Ed25519) or ENCRYPT_DECRYPT (RSA: Encrypt with OAEP). */
    keyUsage: KeyUsageSchema,
    /** The spec the key must have; by default the one it has (its curve, or its RSA modulus size). */
    keySpec: Type.Optional(KeySpecSchema),
    description: Type.Optional(Description),
    tags: Type.Optional(Type.Array(Tag)),
    /** Default false: whether /.well-known/jwks.json shows the key (signing keys). */
    publishJwk: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ImportPublicKeyRequest = Static<typeof ImportPublicKeyRequest>;

/** ImportPublicKey response. */
export const ImportPublicKeyResponse = Type.Object({
  /** The new key (`publicKeyOnly: true`, origin EXTERNAL). */
  keyMetadata: KeyMetadata,
});
export type ImportPublicKeyResponse = Static<typeof ImportPublicKeyResponse>;

/** The ImportPublicKey operation: POST /v1/keys/import-public-key (Custos only). */
export const importPublicKeyOperation = contractOperation({
  method: 'importPublicKey',
  name: 'ImportPublicKey',
  request: ImportPublicKeyRequest,
  response: ImportPublicKeyResponse,
  route: { method: 'POST', path: '/v1/keys/import-public-key' },
  safeToRetry: false, // a second key
  aws: false,
});
