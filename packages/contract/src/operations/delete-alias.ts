// DeleteAlias (AWS KMS DeleteAlias): removes an alias (never the key).
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { AliasName, type EmptyObject } from '../schemas/common.js';
import { contractOperation } from '../operation.js';

/** DeleteAlias request. */
export const DeleteAliasRequest = Type.Object(
  {
    aliasName: AliasName,
  },
  { additionalProperties: false },
);
export type DeleteAliasRequest = Static<typeof DeleteAliasRequest>;

/** DeleteAlias response. */
export const DeleteAliasResponse = Type.Object({});
export type DeleteAliasResponse = EmptyObject;

/** The DeleteAlias operation: DELETE /v1/aliases/:aliasName, and TrentService.DeleteAlias on the AWS protocol. */
export const deleteAliasOperation = contractOperation({
  method: 'deleteAlias',
  name: 'DeleteAlias',
  request: DeleteAliasRequest,
  response: DeleteAliasResponse,
  route: { method: 'DELETE', path: '/v1/aliases/:aliasName' },
  safeToRetry: false, // the repeat fails with ALIAS_NOT_FOUND after the first succeeded
  aws: true,
});
