// EnableKeyRotation (AWS KMS EnableKeyRotation): turns on automatic rotation.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { KeyIdString, type EmptyObject } from '../schemas/common.js';

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
export type EnableKeyRotationResponse = EmptyObject;

/** The EnableKeyRotation operation: POST /v1/keys/:keyId/rotation/enable, and TrentService.EnableKeyRotation on the AWS protocol. */
export const enableKeyRotationOperation = contractOperation({
  method: 'enableKeyRotation',
  name: 'EnableKeyRotation',
  request: EnableKeyRotationRequest,
  response: EnableKeyRotationResponse,
  route: { method: 'POST', path: '/v1/keys/:keyId/rotation/enable' },
  safeToRetry: false, // may reset the date of the next automatic rotation
  aws: true,
});
