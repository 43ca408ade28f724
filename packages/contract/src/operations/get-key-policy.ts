// GetKeyPolicy (AWS KMS GetKeyPolicy): the key policy document.
// Must not import anything but TypeBox and the contract's schemas and names.

import { type Static, Type } from '@sinclair/typebox';
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
