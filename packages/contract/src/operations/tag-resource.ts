// TagResource (AWS KMS TagResource): adds or overwrites tags on a key.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { KeyIdString, Tag, type EmptyObject } from '../schemas/common.js';
import { contractOperation } from '../operation.js';

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
export type TagResourceResponse = EmptyObject;

/** The TagResource operation: POST /v1/keys/:keyId/tags, and TrentService.TagResource on the AWS protocol. */
export const tagResourceOperation = contractOperation({
  method: 'tagResource',
  name: 'TagResource',
  request: TagResourceRequest,
  response: TagResourceResponse,
  route: { method: 'POST', path: '/v1/keys/:keyId/tags' },
  safeToRetry: true, // sets a value: applied twice, the state is the same as applied once
  aws: true,
});
