// ListRetirableGrants (AWS KMS ListRetirableGrants): the grants, on any key, that name a principal as retiring
// principal, paged. Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { Marker } from '../schemas/common.js';
import { GrantPrincipal, ListGrantsResponse } from '../schemas/grants.js';

/** ListRetirableGrants request. */
export const ListRetirableGrantsRequest = Type.Object(
  {
    retiringPrincipal: GrantPrincipal,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    marker: Type.Optional(Marker),
  },
  { additionalProperties: false },
);
export type ListRetirableGrantsRequest = Static<typeof ListRetirableGrantsRequest>;

/** The ListRetirableGrants operation: GET /v1/grants/retirable, and TrentService.ListRetirableGrants. */
export const listRetirableGrantsOperation = contractOperation({
  method: 'listRetirableGrants',
  name: 'ListRetirableGrants',
  request: ListRetirableGrantsRequest,
  response: ListGrantsResponse,
  route: { method: 'GET', path: '/v1/grants/retirable' },
  safeToRetry: true, // a read
  aws: true,
});
