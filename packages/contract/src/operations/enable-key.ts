// EnableKey (AWS KMS EnableKey): sets a Disabled key to Enabled.
// Must not import anything but TypeBox and the contract's schemas and names.

import { type Static, Type } from '@sinclair/typebox';
import { KeyIdString } from '../schemas/common.js';

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
export type EnableKeyResponse = Static<typeof EnableKeyResponse>;
