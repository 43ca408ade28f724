// EnableKeyRotation (AWS KMS EnableKeyRotation): turns on automatic rotation.
// Must not import anything but TypeBox and the contract's schemas and names.

import { type Static, Type } from '@sinclair/typebox';
import { KeyIdString } from '../schemas/common.js';

/** EnableKeyRotation request. */
export const EnableKeyRotationRequest = Type.Object(
  {
    keyId: KeyIdString,
    /** AWS range 90..2560, default 365. */
    rotationPeriodInDays: Type.Optional(Type.Integer({ minimum: 90, maximum: 2560 })),
  },
  { additionalProperties: false },
);
export type EnableKeyRotationRequest = Static<typeof EnableKeyRotationRequest>;

/** EnableKeyRotation response. */
export const EnableKeyRotationResponse = Type.Object({});
export type EnableKeyRotationResponse = Static<typeof EnableKeyRotationResponse>;
