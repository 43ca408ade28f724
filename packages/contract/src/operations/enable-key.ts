// EnableKey (AWS KMS EnableKey): sets a Disabled key to Enabled.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { KeyIdString, type EmptyObject } from '../schemas/common.js';
import { contractOperation } from '../operation.js';

/** EnableKey request. */
export const EnableKeyRequest = Type.Object(
  {
    keyId: KeyIdString,
  },
  { additionalProperties: false },
);
export type EnableKeyRequest = Static<typeof EnableKeyRequest>;

/** EnableKey response. */
export const EnableKeyResponse = Type.Object({});
export type EnableKeyResponse = EmptyObject;

/** The EnableKey operation: POST /v1/keys/:keyId/enable, and TrentService.EnableKey on the AWS protocol. */
export const enableKeyOperation = contractOperation({
  method: 'enableKey',
  name: 'EnableKey',
  request: EnableKeyRequest,
  response: EnableKeyResponse,
  route: { method: 'POST', path: '/v1/keys/:keyId/enable' },
  safeToRetry: true, // sets a value: applied twice, the state is the same as applied once
  aws: true,
});
