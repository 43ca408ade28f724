// DeriveKey (Custos only): HKDF or PBKDF2 from a DERIVE_KEY key: derived bytes returned, or stored as a new key.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import {
  Binary,
  DerivationAlgorithmSchema,
  DerivedKeySpecSchema,
  Description,
  KeyIdString,
  KeyMetadata,
  KeyUsageSchema,
  Tag,
  binary,
} from '../schemas/common.js';

/** The fields both forms of DeriveKey share. `info` is HKDF only, `iterations` PBKDF2 only: service rules. */
const DeriveKeyBase = {
  keyId: KeyIdString,
  derivationAlgorithm: DerivationAlgorithmSchema,
  salt: binary(0, 1024),
  info: Type.Optional(binary(0, 1024)),
  /** PBKDF2 iteration count; the service sets the minimum. */
  iterations: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000_000 })),
};

/** Store the derived secret as a new managed key instead of returning it. */
export const DeriveKeyStoreAs = Type.Object(
  {
    keySpec: DerivedKeySpecSchema,
    /** Default: the spec's usage (ENCRYPT_DECRYPT for AES, GENERATE_VERIFY_MAC for HMAC). */
    keyUsage: Type.Optional(KeyUsageSchema),
    description: Type.Optional(Description),
    tags: Type.Optional(Type.Array(Tag)),
    exportable: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type DeriveKeyStoreAs = Static<typeof DeriveKeyStoreAs>;

/** DeriveKey request: exactly one of `numberOfBytes` (return the bytes) and `storeAs` (store a new key). */
export const DeriveKeyRequest = Type.Union([
  Type.Object(
    {
      ...DeriveKeyBase,
      numberOfBytes: Type.Integer({ minimum: 1, maximum: 1024 }),
      storeAs: Type.Optional(Type.Never()),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { ...DeriveKeyBase, storeAs: DeriveKeyStoreAs, numberOfBytes: Type.Optional(Type.Never()) },
    { additionalProperties: false },
  ),
]);
export type DeriveKeyRequest = Static<typeof DeriveKeyRequest>;

/** DeriveKey response. */
export const DeriveKeyResponse = Type.Object({
  /** The source key ARN. */
  keyId: Type.String(),
  /** With numberOfBytes. */
  plaintext: Type.Optional(Binary),
  /** With storeAs: the new key. */
  keyMetadata: Type.Optional(KeyMetadata),
});
export type DeriveKeyResponse = Static<typeof DeriveKeyResponse>;

/** The DeriveKey operation: POST /v1/keys/:keyId/derive (Custos only). */
export const deriveKeyOperation = contractOperation({
  method: 'deriveKey',
  name: 'DeriveKey',
  request: DeriveKeyRequest,
  response: DeriveKeyResponse,
  route: { method: 'POST', path: '/v1/keys/:keyId/derive' },
  safeToRetry: false, // with storeAs, a second derived key
  aws: false,
});
