// DescribeCustomKeyStores (AWS KMS): the custom key stores, all (paged) or one by id or by name, with their
// connection state. Must not import anything but TypeBox and the contract's schemas.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { Limit, Marker } from '../schemas/common.js';
import { CustomKeyStoreId, CustomKeyStoreName, CustomKeyStoresListEntry } from '../schemas/custom-key-stores.js';

/** DescribeCustomKeyStores request: `customKeyStoreId` or `customKeyStoreName` (not both), or neither for all. */
export const DescribeCustomKeyStoresRequest = Type.Object(
  {
    customKeyStoreId: Type.Optional(CustomKeyStoreId),
    customKeyStoreName: Type.Optional(CustomKeyStoreName),
    limit: Type.Optional(Limit),
    marker: Type.Optional(Marker),
  },
  { additionalProperties: false },
);
export type DescribeCustomKeyStoresRequest = Static<typeof DescribeCustomKeyStoresRequest>;

/** DescribeCustomKeyStores response. */
export const DescribeCustomKeyStoresResponse = Type.Object({
  customKeyStores: Type.Array(CustomKeyStoresListEntry),
  nextMarker: Type.Optional(Type.String()),
  truncated: Type.Boolean(),
});
export type DescribeCustomKeyStoresResponse = Static<typeof DescribeCustomKeyStoresResponse>;

/** The DescribeCustomKeyStores operation: GET /v1/custom-key-stores, and TrentService.DescribeCustomKeyStores. */
export const describeCustomKeyStoresOperation = contractOperation({
  method: 'describeCustomKeyStores',
  name: 'DescribeCustomKeyStores',
  request: DescribeCustomKeyStoresRequest,
  response: DescribeCustomKeyStoresResponse,
  route: { method: 'GET', path: '/v1/custom-key-stores' },
  safeToRetry: true, // a read
  aws: true,
});
