// DisableKeyRotation (AWS KMS DisableKeyRotation): turns off automatic rotation.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { KeyIdString, type EmptyObject } from '../schemas/common.js';

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
export type DisableKeyRotationResponse = EmptyObject;

/** The DisableKeyRotation operation: POST /v1/keys/:keyId/rotation/disable, and TrentService.DisableKeyRotation on the AWS protocol. */
export const disableKeyRotationOperation = contractOperation({
  method: 'disableKeyRotation',
  name: 'DisableKeyRotation',
  request: DisableKeyRotationRequest,
  response: DisableKeyRotationResponse,
  route: { method: 'POST', path: '/v1/keys/:keyId/rotation/disable' },
  safeToRetry: false, // kept with its twin: rotation settings change only when the caller asks
  aws: true,
});
