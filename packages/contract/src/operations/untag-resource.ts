// UntagResource (AWS KMS UntagResource): removes tags from a key by tag key.
// Must not import anything but TypeBox and the contract's schemas and names.

import { type Static, Type } from '@sinclair/typebox';
import { KeyIdString, TagKey } from '../schemas/common.js';

/** UntagResource request. */
export const UntagResourceRequest = Type.Object(
  {
    keyId: KeyIdString,
    tagKeys: Type.Array(TagKey),
  },
  { additionalProperties: false },
);
export type UntagResourceRequest = Static<typeof UntagResourceRequest>;

/** UntagResource response. */
export const UntagResourceResponse = Type.Object({});
export type UntagResourceResponse = Static<typeof UntagResourceResponse>;
