// ListKeys (AWS KMS ListKeys): every key, paged; Custos filters by keyring (applicationId, referenceId).
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { Limit, Marker } from '../schemas/common.js';
import { contractOperation } from '../operation.js';
import { ApplicationId, ReferenceId } from '../schemas/keyrings.js';

/** AWS KeyListEntry. */
export const KeyListEntry = Type.Object({ keyId: Type.String(), keyArn: Type.String() });
export type KeyListEntry = Static<typeof KeyListEntry>;

/** ListKeys request. */
export const ListKeysRequest = Type.Object(
  {
    limit: Type.Optional(Limit),
    marker: Type.Optional(Marker),
    /** Custos: only the keys of this keyring application id (MOSIP). */
    applicationId: Type.Optional(ApplicationId),
    /** Custos: with applicationId, only the keys of this reference id ("" = the master key). */
    referenceId: Type.Optional(ReferenceId),
  },
  { additionalProperties: false },
);
export type ListKeysRequest = Static<typeof ListKeysRequest>;

/** ListKeys response. */
export const ListKeysResponse = Type.Object({
  keys: Type.Array(KeyListEntry),
  nextMarker: Type.Optional(Type.String()),
  truncated: Type.Boolean(),
});
export type ListKeysResponse = Static<typeof ListKeysResponse>;

/** The ListKeys operation: GET /v1/keys, and TrentService.ListKeys on the AWS protocol. */
export const listKeysOperation = contractOperation({
  method: 'listKeys',
  name: 'ListKeys',
  request: ListKeysRequest,
  response: ListKeysResponse,
  route: { method: 'GET', path: '/v1/keys' },
  safeToRetry: true, // a read
  aws: true,
});
