// DisableKey (AWS KMS DisableKey): sets an Enabled key to Disabled.
// Must not import anything but TypeBox and the contract's schemas and names.

import { type Static, Type } from '@sinclair/typebox';
import { KeyIdString } from '../schemas/common.js';

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
export type DisableKeyResponse = Static<typeof DisableKeyResponse>;
