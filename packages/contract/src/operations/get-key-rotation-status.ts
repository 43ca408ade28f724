// GetKeyRotationStatus (AWS KMS GetKeyRotationStatus): whether automatic rotation is on, and when the next rotation is.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
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

/** The GetKeyRotationStatus operation: GET /v1/keys/:keyId/rotation, and TrentService.GetKeyRotationStatus on the AWS protocol. */
export const getKeyRotationStatusOperation = contractOperation({
  method: 'getKeyRotationStatus',
  name: 'GetKeyRotationStatus',
  request: GetKeyRotationStatusRequest,
  response: GetKeyRotationStatusResponse,
  route: { method: 'GET', path: '/v1/keys/:keyId/rotation' },
  safeToRetry: true, // a read
  aws: true,
});
