// PutKeyPolicy (AWS KMS PutKeyPolicy): replaces the key policy document.
// Must not import anything but TypeBox and the contract's schemas and names.

import { type Static, Type } from '@sinclair/typebox';
import { KeyIdString, Policy, PolicyName } from '../schemas/common.js';

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
export type PutKeyPolicyResponse = Static<typeof PutKeyPolicyResponse>;
