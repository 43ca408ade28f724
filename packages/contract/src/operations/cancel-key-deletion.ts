// CancelKeyDeletion (AWS KMS CancelKeyDeletion): takes a key out of PendingDeletion (it becomes Disabled).
// Must not import anything but TypeBox and the contract's schemas and names.

import { type Static, Type } from '@sinclair/typebox';
import { KeyIdString } from '../schemas/common.js';

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
