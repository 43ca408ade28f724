// TagResource (AWS KMS TagResource): adds or overwrites tags on a key.
// Must not import anything but TypeBox and the contract's schemas and names.

import { type Static, Type } from '@sinclair/typebox';
import { KeyIdString, Tag } from '../schemas/common.js';

/** TagResource request. */
export const TagResourceRequest = Type.Object(
  {
    keyId: KeyIdString,
    tags: Type.Array(Tag),
  },
  { additionalProperties: false },
);
export type TagResourceRequest = Static<typeof TagResourceRequest>;

/** TagResource response. */
export const TagResourceResponse = Type.Object({});
export type TagResourceResponse = Static<typeof TagResourceResponse>;
