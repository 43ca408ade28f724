// ListResourceTags (AWS KMS ListResourceTags): the tags of a key, paged.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { KeyIdString, Marker, Tag } from '../schemas/common.js';
import { contractOperation } from '../operation.js';

/** ListResourceTags request. */
export const ListResourceTagsRequest = Type.Object(
  {
    keyId: KeyIdString,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
    marker: Type.Optional(Marker),
  },
  { additionalProperties: false },
);
export type ListResourceTagsRequest = Static<typeof ListResourceTagsRequest>;

/** ListResourceTags response. */
export const ListResourceTagsResponse = Type.Object({
  tags: Type.Array(Tag),
  nextMarker: Type.Optional(Type.String()),
  truncated: Type.Boolean(),
});
export type ListResourceTagsResponse = Static<typeof ListResourceTagsResponse>;

/** The ListResourceTags operation: GET /v1/keys/:keyId/tags, and TrentService.ListResourceTags on the AWS protocol. */
export const listResourceTagsOperation = contractOperation({
  method: 'listResourceTags',
  name: 'ListResourceTags',
  request: ListResourceTagsRequest,
  response: ListResourceTagsResponse,
  route: { method: 'GET', path: '/v1/keys/:keyId/tags' },
  safeToRetry: true, // a read
  aws: true,
});
