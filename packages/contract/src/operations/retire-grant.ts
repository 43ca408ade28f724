// RetireGrant (AWS KMS RetireGrant): deletes a grant, named by its grant token or by key and grant id; for the
// grant's retiring principal, its grantee when the grant allows RetireGrant, and the key's managers.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { DryRun, KeyIdString, type EmptyObject } from '../schemas/common.js';
import { GrantId, GrantToken } from '../schemas/grants.js';

/** RetireGrant request: `grantToken`, or `keyId` and `grantId`. */
export const RetireGrantRequest = Type.Object(
  {
    grantToken: Type.Optional(GrantToken),
    keyId: Type.Optional(KeyIdString),
    grantId: Type.Optional(GrantId),
    dryRun: Type.Optional(DryRun),
  },
  { additionalProperties: false },
);
export type RetireGrantRequest = Static<typeof RetireGrantRequest>;

/** RetireGrant response. */
export const RetireGrantResponse = Type.Object({});
export type RetireGrantResponse = EmptyObject;

/** The RetireGrant operation: POST /v1/grants/retire, and TrentService.RetireGrant on the AWS protocol. */
export const retireGrantOperation = contractOperation({
  method: 'retireGrant',
  name: 'RetireGrant',
  request: RetireGrantRequest,
  response: RetireGrantResponse,
  route: { method: 'POST', path: '/v1/grants/retire' },
  safeToRetry: false, // the repeat fails with NOT_FOUND after the first succeeded
  aws: true,
});
