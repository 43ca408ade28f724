// UpdateAlias (AWS KMS UpdateAlias): points an existing alias at another key.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { AliasName, KeyIdString, type EmptyObject } from '../schemas/common.js';
import { contractOperation } from '../operation.js';

/** UpdateAlias request. */
export const UpdateAliasRequest = Type.Object(
  {
    aliasName: AliasName,
    targetKeyId: KeyIdString,
  },
  { additionalProperties: false },
);
export type UpdateAliasRequest = Static<typeof UpdateAliasRequest>;

/** UpdateAlias response. */
export const UpdateAliasResponse = Type.Object({});
export type UpdateAliasResponse = EmptyObject;

/** The UpdateAlias operation: PUT /v1/aliases/:aliasName, and TrentService.UpdateAlias on the AWS protocol. */
export const updateAliasOperation = contractOperation({
  method: 'updateAlias',
  name: 'UpdateAlias',
  request: UpdateAliasRequest,
  response: UpdateAliasResponse,
  route: { method: 'PUT', path: '/v1/aliases/:aliasName' },
  safeToRetry: false, // moves a name other callers resolve; a late repeat could undo another caller's update
  aws: true,
});
