// CreateAlias (AWS KMS CreateAlias): a friendly name that points at a key.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { AliasName, KeyIdString, type EmptyObject } from '../schemas/common.js';
import { contractOperation } from '../operation.js';

/** CreateAlias request. */
export const CreateAliasRequest = Type.Object(
  {
    aliasName: AliasName,
    targetKeyId: KeyIdString,
  },
  { additionalProperties: false },
);
export type CreateAliasRequest = Static<typeof CreateAliasRequest>;

/** CreateAlias response. */
export const CreateAliasResponse = Type.Object({});
export type CreateAliasResponse = EmptyObject;

/** The CreateAlias operation: POST /v1/aliases, and TrentService.CreateAlias on the AWS protocol. */
export const createAliasOperation = contractOperation({
  method: 'createAlias',
  name: 'CreateAlias',
  request: CreateAliasRequest,
  response: CreateAliasResponse,
  route: { method: 'POST', path: '/v1/aliases' },
  safeToRetry: false, // the repeat fails with ALREADY_EXISTS after the first succeeded
  aws: true,
});
