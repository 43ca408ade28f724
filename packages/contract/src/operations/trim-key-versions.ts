// TrimKeyVersions (Custos; Vault transit's trim): the versions of a symmetric encryption key below its minimum
// decryption version are destroyed after a pending window. Must not import anything but TypeBox and the contract's
// schemas and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { KeyIdString } from '../schemas/common.js';
import { contractOperation } from '../operation.js';

/** TrimKeyVersions request. */
export const TrimKeyVersionsRequest = Type.Object(
  {
    keyId: KeyIdString,
    /** Days before the versions are destroyed (as ScheduleKeyDeletion: 7..30, default 30; the minimum is configurable). */
    pendingWindowInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 30 })),
  },
  { additionalProperties: false },
);
export type TrimKeyVersionsRequest = Static<typeof TrimKeyVersionsRequest>;

/** TrimKeyVersions response. */
export const TrimKeyVersionsResponse = Type.Object({
  keyId: Type.String(),
  /** Versions below this one are destroyed at trimDate (and the minimum decryption version can no longer go below it). */
  trimmedBelowVersion: Type.Integer({ minimum: 1 }),
  trimDate: Type.Date(),
  pendingWindowInDays: Type.Integer(),
});
export type TrimKeyVersionsResponse = Static<typeof TrimKeyVersionsResponse>;

/** The TrimKeyVersions operation: POST /v1/keys/:keyId/trim-versions (native only). */
export const trimKeyVersionsOperation = contractOperation({
  method: 'trimKeyVersions',
  name: 'TrimKeyVersions',
  request: TrimKeyVersionsRequest,
  response: TrimKeyVersionsResponse,
  route: { method: 'POST', path: '/v1/keys/:keyId/trim-versions' },
  safeToRetry: false, // a repeat restarts the pending window
  aws: false,
});
