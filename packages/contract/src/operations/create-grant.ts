// CreateGrant (AWS KMS CreateGrant): lets a principal use a key for some operations, optionally under encryption
// context constraints; `name` makes a retry with the same parameters return the same grant.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { DryRun, GrantTokens, KeyIdString } from '../schemas/common.js';
import { GrantConstraints, GrantName, GrantOperationSchema, GrantPrincipal } from '../schemas/grants.js';

/** CreateGrant request. */
export const CreateGrantRequest = Type.Object(
  {
    keyId: KeyIdString,
    granteePrincipal: GrantPrincipal,
    retiringPrincipal: Type.Optional(GrantPrincipal),
    operations: Type.Array(GrantOperationSchema, { minItems: 1, maxItems: 17 }),
    constraints: Type.Optional(GrantConstraints),
    grantTokens: Type.Optional(GrantTokens),
    name: Type.Optional(GrantName),
    dryRun: Type.Optional(DryRun),
  },
  { additionalProperties: false },
);
export type CreateGrantRequest = Static<typeof CreateGrantRequest>;

/** CreateGrant response: the grant's id, and a grant token (a new one per call, all usable alike). */
export const CreateGrantResponse = Type.Object({
  grantToken: Type.String(),
  grantId: Type.String(),
});
export type CreateGrantResponse = Static<typeof CreateGrantResponse>;

/** The CreateGrant operation: POST /v1/keys/:keyId/grants, and TrentService.CreateGrant on the AWS protocol. */
export const createGrantOperation = contractOperation({
  method: 'createGrant',
  name: 'CreateGrant',
  request: CreateGrantRequest,
  response: CreateGrantResponse,
  route: { method: 'POST', path: '/v1/keys/:keyId/grants' },
  safeToRetry: false, // without a name, a repeat creates a second grant
  aws: true,
});
