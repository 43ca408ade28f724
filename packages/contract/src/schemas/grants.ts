// The schemas grants share (CreateGrant, ListGrants, ListRetirableGrants, RetireGrant, RevokeGrant): grant
// operations, constraints, identifiers and the list entry, as the AWS KMS API Reference spells them.
// Must not import anything but TypeBox and the contract's common schemas.
import { type Static, Type } from '@sinclair/typebox';
import { EncryptionContext, literalUnion } from './common.js';

/** AWS GrantOperation: the operations a grant may allow. Which apply to which key is a service rule. */
export const GRANT_OPERATIONS = [
  'Decrypt',
  'Encrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'ReEncryptFrom',
  'ReEncryptTo',
  'Sign',
  'Verify',
  'GetPublicKey',
  'CreateGrant',
  'RetireGrant',
  'DescribeKey',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'GenerateMac',
  'VerifyMac',
  'DeriveSharedSecret',
] as const;
export type GrantOperation = (typeof GRANT_OPERATIONS)[number];
export const GrantOperationSchema = literalUnion(GRANT_OPERATIONS);

/** AWS GrantConstraints: the encryption context a cryptographic operation must have (exactly, or at least). */
export const GrantConstraints = Type.Object(
  {
    encryptionContextEquals: Type.Optional(EncryptionContext),
    encryptionContextSubset: Type.Optional(EncryptionContext),
  },
  { additionalProperties: false },
);
export type GrantConstraints = Static<typeof GrantConstraints>;

/** AWS GrantIdType (1..128); Custos's are 64 hex digits (checked by the service: INVALID_GRANT_ID). */
export const GrantId = Type.String({ minLength: 1, maxLength: 128 });

/** AWS GrantTokenType (1..8192); whether Custos issued it is checked by the service (INVALID_GRANT_TOKEN). */
export const GrantToken = Type.String({ minLength: 1, maxLength: 8192 });

/** AWS PrincipalIdType: an IAM ARN (Custos: `arn:aws:iam::<account>:user/<principal>` or `role/`). */
export const GrantPrincipal = Type.String({ minLength: 1, maxLength: 256, pattern: '^[\\w+=,.@:/-]+$' });

/** AWS GrantNameType. */
export const GrantName = Type.String({ minLength: 1, maxLength: 256, pattern: '^[a-zA-Z0-9:/_-]+$' });

/** AWS GrantListEntry. */
export const GrantListEntry = Type.Object({
  keyId: Type.String(),
  grantId: Type.String(),
  name: Type.Optional(Type.String()),
  creationDate: Type.Date(),
  granteePrincipal: Type.String(),
  retiringPrincipal: Type.Optional(Type.String()),
  issuingAccount: Type.String(),
  operations: Type.Array(GrantOperationSchema),
  constraints: Type.Optional(GrantConstraints),
});
export type GrantListEntry = Static<typeof GrantListEntry>;

/** ListGrants and ListRetirableGrants response (AWS ListGrantsResponse). */
export const ListGrantsResponse = Type.Object({
  grants: Type.Array(GrantListEntry),
  nextMarker: Type.Optional(Type.String()),
  truncated: Type.Boolean(),
});
export type ListGrantsResponse = Static<typeof ListGrantsResponse>;
