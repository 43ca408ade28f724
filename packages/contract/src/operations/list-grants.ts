// ListGrants (AWS KMS ListGrants): the grants of one key, optionally one grant or one grantee's, paged.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { GrantTokens, KeyIdString, Marker } from '../schemas/common.js';
import { GrantId, GrantPrincipal, ListGrantsResponse } from '../schemas/grants.js';

/** ListGrants request. */
export const ListGrantsRequest = Type.Object(
  {
    keyId: KeyIdString,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    marker: Type.Optional(Marker),
    grantId: Type.Optional(GrantId),
    granteePrincipal: Type.Optional(GrantPrincipal),
    grantTokens: Type.Optional(GrantTokens),
  },
  { additionalProperties: false },
);
export type ListGrantsRequest = Static<typeof ListGrantsRequest>;

/** The ListGrants operation: GET /v1/keys/:keyId/grants, and TrentService.ListGrants on the AWS protocol. */
export const listGrantsOperation = contractOperation({
  method: 'listGrants',
  name: 'ListGrants',
  request: ListGrantsRequest,
  response: ListGrantsResponse,
  route: { method: 'GET', path: '/v1/keys/:keyId/grants' },
  safeToRetry: true, // a read
  aws: true,
});
