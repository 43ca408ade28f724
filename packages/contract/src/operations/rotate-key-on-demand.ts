// RotateKeyOnDemand (AWS KMS RotateKeyOnDemand): adds a new key version now.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { KeyIdString } from '../schemas/common.js';

/** RotateKeyOnDemand request. */
export const RotateKeyOnDemandRequest = Type.Object(
  {
    keyId: KeyIdString,
  },
  { additionalProperties: false },
);
export type RotateKeyOnDemandRequest = Static<typeof RotateKeyOnDemandRequest>;

/** RotateKeyOnDemand response. */
export const RotateKeyOnDemandResponse = Type.Object({
  keyId: Type.String(),
});
export type RotateKeyOnDemandResponse = Static<typeof RotateKeyOnDemandResponse>;

/** The RotateKeyOnDemand operation: POST /v1/keys/:keyId/rotate, and TrentService.RotateKeyOnDemand on the AWS protocol. */
export const rotateKeyOnDemandOperation = contractOperation({
  method: 'rotateKeyOnDemand',
  name: 'RotateKeyOnDemand',
  request: RotateKeyOnDemandRequest,
  response: RotateKeyOnDemandResponse,
  route: { method: 'POST', path: '/v1/keys/:keyId/rotate' },
  safeToRetry: false, // a second rotation: a second new key version
  aws: true,
});
