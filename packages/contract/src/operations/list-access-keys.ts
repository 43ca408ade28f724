// ListAccessKeys (Custos): the AWS-style access keys, paged, without their secrets.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { Limit, Marker, RoleSchema } from '../schemas/common.js';

/** One access key, as ListAccessKeys shows it (never the secret). */
export const AccessKeyListEntry = Type.Object({
  accessKeyId: Type.String(),
  principal: Type.String(),
  roles: Type.Array(RoleSchema),
  description: Type.String(),
  createdAt: Type.Date(),
  revokedAt: Type.Optional(Type.Date()),
  lastUsedAt: Type.Optional(Type.Date()),
});
export type AccessKeyListEntry = Static<typeof AccessKeyListEntry>;

/** ListAccessKeys request. */
export const ListAccessKeysRequest = Type.Object(
  {
    limit: Type.Optional(Limit),
    marker: Type.Optional(Marker),
  },
  { additionalProperties: false },
);
export type ListAccessKeysRequest = Static<typeof ListAccessKeysRequest>;

/** ListAccessKeys response. */
export const ListAccessKeysResponse = Type.Object({
  accessKeys: Type.Array(AccessKeyListEntry),
  nextMarker: Type.Optional(Type.String()),
  truncated: Type.Boolean(),
});
export type ListAccessKeysResponse = Static<typeof ListAccessKeysResponse>;

/** The ListAccessKeys operation: GET /v1/access-keys (Custos only). */
export const listAccessKeysOperation = contractOperation({
  method: 'listAccessKeys',
  name: 'ListAccessKeys',
  request: ListAccessKeysRequest,
  response: ListAccessKeysResponse,
  route: { method: 'GET', path: '/v1/access-keys' },
  safeToRetry: true, // a read
  aws: false,
});
