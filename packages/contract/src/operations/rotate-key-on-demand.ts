// RotateKeyOnDemand (AWS KMS RotateKeyOnDemand): adds a new key version now.
// Must not import anything but TypeBox and the contract's schemas and names.

import { type Static, Type } from '@sinclair/typebox';
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
