// ScheduleKeyDeletion (AWS KMS ScheduleKeyDeletion): puts a key in PendingDeletion; its material is destroyed after the window.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { KeyIdString, KeyStateSchema } from '../schemas/common.js';
import { contractOperation } from '../operation.js';

/** ScheduleKeyDeletion request. */
export const ScheduleKeyDeletionRequest = Type.Object(
  {
    keyId: KeyIdString,
    /** Days before deletion (AWS 7..30, default 30). The minimum is configurable, so the schema allows 1..30 and the service checks. */
    pendingWindowInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 30 })),
    /**
     * Custos (native API and CLI only): schedule even though the key was used within the server's
     * deletionRecentUseDays (default 30), which is otherwise refused with KEY_RECENTLY_USED. The AWS protocol never asks.
     */
    force: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ScheduleKeyDeletionRequest = Static<typeof ScheduleKeyDeletionRequest>;

/** ScheduleKeyDeletion response. */
export const ScheduleKeyDeletionResponse = Type.Object({
  keyId: Type.String(),
  deletionDate: Type.Optional(Type.Date()),
  keyState: KeyStateSchema,
  pendingWindowInDays: Type.Integer(),
});
export type ScheduleKeyDeletionResponse = Static<typeof ScheduleKeyDeletionResponse>;

/** The ScheduleKeyDeletion operation: POST /v1/keys/:keyId/schedule-deletion, and TrentService.ScheduleKeyDeletion on the AWS protocol. */
export const scheduleKeyDeletionOperation = contractOperation({
  method: 'scheduleKeyDeletion',
  name: 'ScheduleKeyDeletion',
  request: ScheduleKeyDeletionRequest,
  response: ScheduleKeyDeletionResponse,
  route: { method: 'POST', path: '/v1/keys/:keyId/schedule-deletion' },
  safeToRetry: false, // the repeat fails with INVALID_KEY_STATE (the key is already PendingDeletion)
  aws: true,
});
