// CreateAccessKey (Custos): an AWS-style access key pair for the AWS KMS protocol (Signature Version 4), with roles.
// The secret is returned only here; Custos stores it wrapped under the root key. Must not import anything but
// TypeBox and the contract's schemas and names.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { Description, PrincipalTags, RoleSchema } from '../schemas/common.js';

/** CreateAccessKey request. `principal` defaults to `access-key:<accessKeyId>`. */
export const CreateAccessKeyRequest = Type.Object(
  {
    /** None: a principal that may do only what key policies and grants allow it (docs/authorization.md). */
    roles: Type.Optional(Type.Array(RoleSchema, { maxItems: 3, uniqueItems: true })),
    principal: Type.Optional(Type.String({ minLength: 1, maxLength: 256, pattern: '^[\\x21-\\x7e]+$' })),
    description: Type.Optional(Description),
    /** The principal's tags: `aws:PrincipalTag/<key>` in key policies (docs/authorization.md). */
    tags: Type.Optional(PrincipalTags),
  },
  { additionalProperties: false },
);
export type CreateAccessKeyRequest = Static<typeof CreateAccessKeyRequest>;

/**
 * CreateAccessKey response: `accessKeyId` (`AKIACUSTOS` + 10 base32 characters, the AWS format) and
 * `secretAccessKey` (40 characters), the pair AWS SDKs and the AWS CLI take as credentials. The secret is shown only once.
 */
export const CreateAccessKeyResponse = Type.Object({
  accessKeyId: Type.String(),
  secretAccessKey: Type.String(),
  principal: Type.String(),
  roles: Type.Array(RoleSchema),
  tags: Type.Optional(PrincipalTags),
  createdAt: Type.Date(),
});
export type CreateAccessKeyResponse = Static<typeof CreateAccessKeyResponse>;

/** The CreateAccessKey operation: POST /v1/access-keys (Custos only). */
export const createAccessKeyOperation = contractOperation({
  method: 'createAccessKey',
  name: 'CreateAccessKey',
  request: CreateAccessKeyRequest,
  response: CreateAccessKeyResponse,
  route: { method: 'POST', path: '/v1/access-keys' },
  safeToRetry: false, // a second live credential
  aws: false,
});
