// ListKeyPolicies (AWS KMS ListKeyPolicies): the names of a key's policies; there is one, `default`.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { KeyIdString, Marker } from '../schemas/common.js';

/** ListKeyPolicies request. */
export const ListKeyPoliciesRequest = Type.Object(
  {
    keyId: KeyIdString,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    marker: Type.Optional(Marker),
  },
  { additionalProperties: false },
);
export type ListKeyPoliciesRequest = Static<typeof ListKeyPoliciesRequest>;

/** ListKeyPolicies response: `["default"]`. */
export const ListKeyPoliciesResponse = Type.Object({
  policyNames: Type.Array(Type.String()),
  nextMarker: Type.Optional(Type.String()),
  truncated: Type.Boolean(),
});
export type ListKeyPoliciesResponse = Static<typeof ListKeyPoliciesResponse>;

/** The ListKeyPolicies operation: GET /v1/keys/:keyId/policies, and TrentService.ListKeyPolicies on the AWS protocol. */
export const listKeyPoliciesOperation = contractOperation({
  method: 'listKeyPolicies',
  name: 'ListKeyPolicies',
  request: ListKeyPoliciesRequest,
  response: ListKeyPoliciesResponse,
  route: { method: 'GET', path: '/v1/keys/:keyId/policies' },
  safeToRetry: true, // a read
  aws: true,
});
