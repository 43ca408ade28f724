// UntagResource (AWS KMS UntagResource): removes tags from a key by tag key.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { KeyIdString, TagKey, type EmptyObject } from '../schemas/common.js';
import { contractOperation } from '../operation.js';

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
export type UntagResourceResponse = EmptyObject;

/** The UntagResource operation: POST /v1/keys/:keyId/untag, and TrentService.UntagResource on the AWS protocol. */
export const untagResourceOperation = contractOperation({
  method: 'untagResource',
  name: 'UntagResource',
  request: UntagResourceRequest,
  response: UntagResourceResponse,
  route: { method: 'POST', path: '/v1/keys/:keyId/untag' },
  safeToRetry: true, // sets a value: applied twice, the state is the same as applied once
  aws: true,
});
