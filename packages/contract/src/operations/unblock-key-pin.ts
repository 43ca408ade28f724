// UnblockKeyPin (Custos): resets a PIN-protected key's failure counter — by an admin with no PUK, or by anyone who
// may use the key with its PUK (optionally setting a new PIN). Must not import anything but TypeBox and the
// contract's schemas and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { KeyIdString, type EmptyObject } from '../schemas/common.js';
import { Pin, Puk } from '../schemas/key-pins.js';

/** UnblockKeyPin request. */
export const UnblockKeyPinRequest = Type.Object(
  {
    keyId: KeyIdString,
    /** The PUK CreateKey returned. Absent: an unblock by an administrator (the `manage` right). */
    puk: Type.Optional(Puk),
    /** With `puk`: the key's new PIN, checked against its PIN policy. */
    newPin: Type.Optional(Pin),
  },
  { additionalProperties: false },
);
export type UnblockKeyPinRequest = Static<typeof UnblockKeyPinRequest>;

/** UnblockKeyPin response. */
export const UnblockKeyPinResponse = Type.Object({});
export type UnblockKeyPinResponse = EmptyObject;

/** The UnblockKeyPin operation: POST /v1/keys/:keyId/unblock (REST only). */
export const unblockKeyPinOperation = contractOperation({
  method: 'unblockKeyPin',
  name: 'UnblockKeyPin',
  request: UnblockKeyPinRequest,
  response: UnblockKeyPinResponse,
  route: { method: 'POST', path: '/v1/keys/:keyId/unblock' },
  safeToRetry: false, // a wrong PUK sent twice counts twice
  aws: false,
});
