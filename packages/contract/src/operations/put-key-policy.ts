// PutKeyPolicy (AWS KMS PutKeyPolicy): replaces the key policy document.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { KeyIdString, Policy, PolicyName, type EmptyObject } from '../schemas/common.js';

/** PutKeyPolicy request. */
export const PutKeyPolicyRequest = Type.Object(
  {
    keyId: KeyIdString,
    policyName: Type.Optional(PolicyName),
    policy: Policy,
    bypassPolicyLockoutSafetyCheck: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type PutKeyPolicyRequest = Static<typeof PutKeyPolicyRequest>;

/** PutKeyPolicy response. */
export const PutKeyPolicyResponse = Type.Object({});
export type PutKeyPolicyResponse = EmptyObject;

/** The PutKeyPolicy operation: PUT /v1/keys/:keyId/policy, and TrentService.PutKeyPolicy on the AWS protocol. */
export const putKeyPolicyOperation = contractOperation({
  method: 'putKeyPolicy',
  name: 'PutKeyPolicy',
  request: PutKeyPolicyRequest,
  response: PutKeyPolicyResponse,
  route: { method: 'PUT', path: '/v1/keys/:keyId/policy' },
  safeToRetry: true, // sets a value: applied twice, the state is the same as applied once
  aws: true,
});
