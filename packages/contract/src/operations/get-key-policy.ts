// GetKeyPolicy (AWS KMS GetKeyPolicy): the key policy document.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { KeyIdString, PolicyName } from '../schemas/common.js';

/** GetKeyPolicy request. */
export const GetKeyPolicyRequest = Type.Object(
  {
    keyId: KeyIdString,
    /** Only `default`. */
    policyName: Type.Optional(PolicyName),
  },
  { additionalProperties: false },
);
export type GetKeyPolicyRequest = Static<typeof GetKeyPolicyRequest>;

/** GetKeyPolicy response. */
export const GetKeyPolicyResponse = Type.Object({
  policy: Type.String(),
  policyName: Type.String(),
});
export type GetKeyPolicyResponse = Static<typeof GetKeyPolicyResponse>;

/** The GetKeyPolicy operation: GET /v1/keys/:keyId/policy, and TrentService.GetKeyPolicy on the AWS protocol. */
export const getKeyPolicyOperation = contractOperation({
  method: 'getKeyPolicy',
  name: 'GetKeyPolicy',
  request: GetKeyPolicyRequest,
  response: GetKeyPolicyResponse,
  route: { method: 'GET', path: '/v1/keys/:keyId/policy' },
  safeToRetry: true, // a read
  aws: true,
});
