// ListKeyringPolicies (Custos, MOSIP key_policy_def): every keyring policy.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.
import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import type { EmptyObject } from '../schemas/common.js';
import { KeyringPolicy } from '../schemas/keyrings.js';

/** ListKeyringPolicies request. */
export const ListKeyringPoliciesRequest = Type.Object({}, { additionalProperties: false });
export type ListKeyringPoliciesRequest = EmptyObject;

/** ListKeyringPolicies response, ordered by application id. */
export const ListKeyringPoliciesResponse = Type.Object({ policies: Type.Array(KeyringPolicy) });
export type ListKeyringPoliciesResponse = Static<typeof ListKeyringPoliciesResponse>;

/** The ListKeyringPolicies operation: GET /v1/keyrings/policies (Custos only). */
export const listKeyringPoliciesOperation = contractOperation({
  method: 'listKeyringPolicies',
  name: 'ListKeyringPolicies',
  request: ListKeyringPoliciesRequest,
  response: ListKeyringPoliciesResponse,
  route: { method: 'GET', path: '/v1/keyrings/policies' },
  safeToRetry: true, // a read
  aws: false,
});
