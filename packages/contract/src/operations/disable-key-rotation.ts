// DisableKeyRotation (AWS KMS DisableKeyRotation): turns off automatic rotation.
// Must not import anything but TypeBox and the contract's schemas and names.

import { type Static, Type } from '@sinclair/typebox';
import { KeyIdString } from '../schemas/common.js';

/** DisableKeyRotation request. */
export const DisableKeyRotationRequest = Type.Object(
  {
    keyId: KeyIdString,
  },
  { additionalProperties: false },
);
export type DisableKeyRotationRequest = Static<typeof DisableKeyRotationRequest>;

/** DisableKeyRotation response. */
export const DisableKeyRotationResponse = Type.Object({});
export type DisableKeyRotationResponse = Static<typeof DisableKeyRotationResponse>;
