// CreateToken (Custos): a bearer token for the REST API, with roles. The token itself is returned only here;
// Custos stores a hash of it. Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { Description, PrincipalTags, RoleSchema } from '../schemas/common.js';

/** CreateToken request. `principal` defaults to `token:<tokenId>`. */
export const CreateTokenRequest = Type.Object(
  {
    /** None: a principal that may do only what key policies and grants allow it (docs/authorization.md). */
    roles: Type.Optional(Type.Array(RoleSchema, { maxItems: 3, uniqueItems: true })),
    principal: Type.Optional(Type.String({ minLength: 1, maxLength: 256, pattern: '^[\\x21-\\x7e]+$' })),
    description: Type.Optional(Description),
    /** The principal's tags: `aws:PrincipalTag/<key>` in key policies (docs/authorization.md). */
    tags: Type.Optional(PrincipalTags),
    expiresAt: Type.Optional(Type.Date()),
  },
  { additionalProperties: false },
);
export type CreateTokenRequest = Static<typeof CreateTokenRequest>;

/** CreateToken response: `token` (`cst_` + 43 base64url characters) is shown only once. */
export const CreateTokenResponse = Type.Object({
  tokenId: Type.String(),
  token: Type.String(),
  principal: Type.String(),
  roles: Type.Array(RoleSchema),
  tags: Type.Optional(PrincipalTags),
  createdAt: Type.Date(),
  expiresAt: Type.Optional(Type.Date()),
});
export type CreateTokenResponse = Static<typeof CreateTokenResponse>;

/** The CreateToken operation: POST /v1/tokens (Custos only). */
export const createTokenOperation = contractOperation({
  method: 'createToken',
  name: 'CreateToken',
  request: CreateTokenRequest,
  response: CreateTokenResponse,
  route: { method: 'POST', path: '/v1/tokens' },
  safeToRetry: false, // a second live credential
  aws: false,
});
