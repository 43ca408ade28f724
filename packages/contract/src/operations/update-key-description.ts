// UpdateKeyDescription (AWS KMS UpdateKeyDescription): replaces the description of a key.
// Must not import anything but TypeBox and the contract's schemas and names.

import { type Static, Type } from '@sinclair/typebox';
import { Description, KeyIdString } from '../schemas/common.js';

/** UpdateKeyDescription request. */
export const UpdateKeyDescriptionRequest = Type.Object(
  {
    keyId: KeyIdString,
    description: Description,
  },
  { additionalProperties: false },
);
export type UpdateKeyDescriptionRequest = Static<typeof UpdateKeyDescriptionRequest>;

/** UpdateKeyDescription response. */
export const UpdateKeyDescriptionResponse = Type.Object({});
export type UpdateKeyDescriptionResponse = Static<typeof UpdateKeyDescriptionResponse>;
