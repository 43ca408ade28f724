// CancelKeyDeletion (AWS KMS CancelKeyDeletion): takes a key out of PendingDeletion (it becomes Disabled).
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { KeyIdString } from '../schemas/common.js';
import { contractOperation } from '../operation.js';

/** CancelKeyDeletion request. */
export const CancelKeyDeletionRequest = Type.Object(
  {
    keyId: KeyIdString,
  },
  { additionalProperties: false },
);
export type CancelKeyDeletionRequest = Static<typeof CancelKeyDeletionRequest>;

/** CancelKeyDeletion response. */
export const CancelKeyDeletionResponse = Type.Object({
  keyId: Type.String(),
});
export type CancelKeyDeletionResponse = Static<typeof CancelKeyDeletionResponse>;

/** The CancelKeyDeletion operation: POST /v1/keys/:keyId/cancel-deletion, and TrentService.CancelKeyDeletion on the AWS protocol. */
export const cancelKeyDeletionOperation = contractOperation({
  method: 'cancelKeyDeletion',
  name: 'CancelKeyDeletion',
  request: CancelKeyDeletionRequest,
  response: CancelKeyDeletionResponse,
  route: { method: 'POST', path: '/v1/keys/:keyId/cancel-deletion' },
  safeToRetry: false, // the repeat fails with INVALID_KEY_STATE (the key is no longer PendingDeletion)
  aws: true,
});
