// CreateKey (AWS KMS CreateKey): a new key, generated here or awaiting imported material (origin EXTERNAL).
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import {
  Description,
  KeyMetadata,
  KeySpecSchema,
  KeyUsageSchema,
  Keyring,
  Policy,
  ProtectionLevelSchema,
  Tag,
  UsageConstraintsInput,
  literalUnion,
} from '../schemas/common.js';
import { contractOperation } from '../operation.js';
import { CustomKeyStoreId } from '../schemas/custom-key-stores.js';
import { Pin, PinPolicy, Puk } from '../schemas/key-pins.js';

/** CreateKey request. */
export const CreateKeyRequest = Type.Object(
  {
    policy: Type.Optional(Policy),
    description: Type.Optional(Description),
    keyUsage: Type.Optional(KeyUsageSchema),
    /** Deprecated by AWS; the service treats it as keySpec. */
    customerMasterKeySpec: Type.Optional(KeySpecSchema),
    keySpec: Type.Optional(KeySpecSchema),
    /**
     * AWS_CLOUDHSM: generated in the PKCS#11 token of the custom key store `customKeyStoreId` (both or neither).
     * EXTERNAL_KEY_STORE (external key stores) is not supported.
     */
    origin: Type.Optional(literalUnion(['AWS_KMS', 'EXTERNAL', 'AWS_CLOUDHSM'])),
    /** The custom key store (a PKCS#11 token) to make the key in; it must be CONNECTED. */
    customKeyStoreId: Type.Optional(CustomKeyStoreId),
    tags: Type.Optional(Type.Array(Tag)),
    /** Accepted so that AWS tools validate; any effect is a service rule. */
    bypassPolicyLockoutSafetyCheck: Type.Optional(Type.Boolean()),
    /** Custos keys are single-Region: `true` is refused as UNSUPPORTED (a service rule). */
    multiRegion: Type.Optional(Type.Boolean()),
    /** Custos: whether the key material may ever be exported (ExportKey). Default false. */
    exportable: Type.Optional(Type.Boolean()),
    /** Custos: allowed algorithms, validity window, maximum uses. */
    usageConstraints: Type.Optional(UsageConstraintsInput),
    /** Custos: MOSIP-style application id / reference id addressing. */
    keyring: Type.Optional(Keyring),
    /**
     * Custos: `HSM` generates the key inside the PKCS#11 token of the root of trust and uses it there (its material
     * never leaves the token); default `SOFTWARE`. Not an AWS CreateKey field.
     */
    protectionLevel: Type.Optional(ProtectionLevelSchema),
    /** Custos: show the public JWK in GET /.well-known/jwks.json (enabled signing keys only). Default false. */
    publishJwk: Type.Optional(Type.Boolean()),
    /** Custos: every use of the key must carry a PIN (`pin`, checked against this policy); both or neither. */
    pinPolicy: Type.Optional(PinPolicy),
    /** Custos: the key's PIN, with `pinPolicy`. Never stored but as a salted scrypt hash. */
    pin: Type.Optional(Pin),
  },
  { additionalProperties: false },
);
export type CreateKeyRequest = Static<typeof CreateKeyRequest>;

/** CreateKey response. */
export const CreateKeyResponse = Type.Object({
  keyMetadata: KeyMetadata,
  /** Custos: with `pinPolicy`, the key's PUK (unblocks it), returned only here: it cannot be read again. */
  puk: Type.Optional(Puk),
});
export type CreateKeyResponse = Static<typeof CreateKeyResponse>;

/** The CreateKey operation: POST /v1/keys, and TrentService.CreateKey on the AWS protocol. */
export const createKeyOperation = contractOperation({
  method: 'createKey',
  name: 'CreateKey',
  request: CreateKeyRequest,
  response: CreateKeyResponse,
  route: { method: 'POST', path: '/v1/keys' },
  safeToRetry: false, // a second key
  aws: true,
});
