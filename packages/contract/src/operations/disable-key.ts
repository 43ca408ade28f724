// DisableKey (AWS KMS DisableKey): sets an Enabled key to Disabled.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { KeyIdString, type EmptyObject } from '../schemas/common.js';
import { contractOperation } from '../operation.js';

/** DisableKey request. */
export const DisableKeyRequest = Type.Object(
  {
    keyId: KeyIdString,
  },
  { additionalProperties: false },
);
export type DisableKeyRequest = Static<typeof DisableKeyRequest>;

/** DisableKey response. */
export const DisableKeyResponse = Type.Object({});
export type DisableKeyResponse = EmptyObject;

/** The DisableKey operation: POST /v1/keys/:keyId/disable, and TrentService.DisableKey on the AWS protocol. */
export const disableKeyOperation = contractOperation({
  method: 'disableKey',
  name: 'DisableKey',
  request: DisableKeyRequest,
  response: DisableKeyResponse,
  route: { method: 'POST', path: '/v1/keys/:keyId/disable' },
  safeToRetry: true, // sets a value: applied twice, the state is the same as applied once
  aws: true,
});
