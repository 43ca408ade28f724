// ListTokens (Custos): the API tokens, paged, without the tokens themselves (only their hashes are stored).
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { Limit, Marker, RoleSchema } from '../schemas/common.js';

/** One token, as ListTokens shows it. */
export const TokenListEntry = Type.Object({
  tokenId: Type.String(),
  principal: Type.String(),
  roles: Type.Array(RoleSchema),
  description: Type.String(),
  createdAt: Type.Date(),
  expiresAt: Type.Optional(Type.Date()),
  revokedAt: Type.Optional(Type.Date()),
  lastUsedAt: Type.Optional(Type.Date()),
});
export type TokenListEntry = Static<typeof TokenListEntry>;

/** ListTokens request. */
export const ListTokensRequest = Type.Object(
  {
    limit: Type.Optional(Limit),
    marker: Type.Optional(Marker),
  },
  { additionalProperties: false },
);
export type ListTokensRequest = Static<typeof ListTokensRequest>;

/** ListTokens response. */
export const ListTokensResponse = Type.Object({
  tokens: Type.Array(TokenListEntry),
  nextMarker: Type.Optional(Type.String()),
  truncated: Type.Boolean(),
});
export type ListTokensResponse = Static<typeof ListTokensResponse>;

/** The ListTokens operation: GET /v1/tokens (Custos only). */
export const listTokensOperation = contractOperation({
  method: 'listTokens',
  name: 'ListTokens',
  request: ListTokensRequest,
  response: ListTokensResponse,
  route: { method: 'GET', path: '/v1/tokens' },
  safeToRetry: true, // a read
  aws: false,
});
