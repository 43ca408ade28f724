// UpdateKeyDescription (AWS KMS UpdateKeyDescription): replaces the description of a key.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { Description, KeyIdString, type EmptyObject } from '../schemas/common.js';
import { contractOperation } from '../operation.js';

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
export type UpdateKeyDescriptionResponse = EmptyObject;

/** The UpdateKeyDescription operation: PUT /v1/keys/:keyId/description, and TrentService.UpdateKeyDescription on the AWS protocol. */
export const updateKeyDescriptionOperation = contractOperation({
  method: 'updateKeyDescription',
  name: 'UpdateKeyDescription',
  request: UpdateKeyDescriptionRequest,
  response: UpdateKeyDescriptionResponse,
  route: { method: 'PUT', path: '/v1/keys/:keyId/description' },
  safeToRetry: true, // sets a value: applied twice, the state is the same as applied once
  aws: true,
});
