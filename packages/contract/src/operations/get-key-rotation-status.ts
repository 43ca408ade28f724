// GetKeyRotationStatus (AWS KMS GetKeyRotationStatus): whether automatic rotation is on, and when the next rotation is.
// Must not import anything but TypeBox and the contract's schemas and names.

import { type Static, Type } from '@sinclair/typebox';
import { KeyIdString } from '../schemas/common.js';

/** GetKeyRotationStatus request. */
export const GetKeyRotationStatusRequest = Type.Object(
  {
    keyId: KeyIdString,
  },
  { additionalProperties: false },
);
export type GetKeyRotationStatusRequest = Static<typeof GetKeyRotationStatusRequest>;

/** GetKeyRotationStatus response. */
export const GetKeyRotationStatusResponse = Type.Object({
  keyRotationEnabled: Type.Boolean(),
  keyId: Type.String(),
  rotationPeriodInDays: Type.Optional(Type.Integer()),
  nextRotationDate: Type.Optional(Type.Date()),
  onDemandRotationStartDate: Type.Optional(Type.Date()),
});
export type GetKeyRotationStatusResponse = Static<typeof GetKeyRotationStatusResponse>;
