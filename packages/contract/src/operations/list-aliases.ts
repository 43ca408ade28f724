// ListAliases (AWS KMS ListAliases): aliases, all or those of one key, paged.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { KeyIdString, Marker } from '../schemas/common.js';
import { contractOperation } from '../operation.js';

/** AWS AliasListEntry. */
export const AliasListEntry = Type.Object({
  aliasName: Type.String(),
  aliasArn: Type.String(),
  targetKeyId: Type.Optional(Type.String()),
  creationDate: Type.Optional(Type.Date()),
  lastUpdatedDate: Type.Optional(Type.Date()),
});
export type AliasListEntry = Static<typeof AliasListEntry>;

/** ListAliases request. */
export const ListAliasesRequest = Type.Object(
  {
    keyId: Type.Optional(KeyIdString),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    marker: Type.Optional(Marker),
  },
  { additionalProperties: false },
);
export type ListAliasesRequest = Static<typeof ListAliasesRequest>;

/** ListAliases response. */
export const ListAliasesResponse = Type.Object({
  aliases: Type.Array(AliasListEntry),
  nextMarker: Type.Optional(Type.String()),
  truncated: Type.Boolean(),
});
export type ListAliasesResponse = Static<typeof ListAliasesResponse>;

/** The ListAliases operation: GET /v1/aliases, and TrentService.ListAliases on the AWS protocol. */
export const listAliasesOperation = contractOperation({
  method: 'listAliases',
  name: 'ListAliases',
  request: ListAliasesRequest,
  response: ListAliasesResponse,
  route: { method: 'GET', path: '/v1/aliases' },
  safeToRetry: true, // a read
  aws: true,
});
