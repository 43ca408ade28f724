// RevokeGrant (AWS KMS RevokeGrant): deletes a grant of a key; for the key's managers.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { DryRun, KeyIdString, type EmptyObject } from '../schemas/common.js';
import { GrantId } from '../schemas/grants.js';

/** RevokeGrant request. */
export const RevokeGrantRequest = Type.Object(
  {
    keyId: KeyIdString,
    grantId: GrantId,
    dryRun: Type.Optional(DryRun),
  },
  { additionalProperties: false },
);
export type RevokeGrantRequest = Static<typeof RevokeGrantRequest>;

/** RevokeGrant response. */
export const RevokeGrantResponse = Type.Object({});
export type RevokeGrantResponse = EmptyObject;

/** The RevokeGrant operation: DELETE /v1/keys/:keyId/grants/:grantId, and TrentService.RevokeGrant. */
export const revokeGrantOperation = contractOperation({
  method: 'revokeGrant',
  name: 'RevokeGrant',
  request: RevokeGrantRequest,
  response: RevokeGrantResponse,
  route: { method: 'DELETE', path: '/v1/keys/:keyId/grants/:grantId' },
  safeToRetry: false, // the repeat fails with NOT_FOUND after the first succeeded
  aws: true,
});
