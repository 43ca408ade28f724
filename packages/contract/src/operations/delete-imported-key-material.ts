// DeleteImportedKeyMaterial (AWS KMS DeleteImportedKeyMaterial): deletes imported material; the key goes to PendingImport.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { KeyIdString } from '../schemas/common.js';

/** DeleteImportedKeyMaterial request. */
export const DeleteImportedKeyMaterialRequest = Type.Object(
  {
    keyId: KeyIdString,
    keyMaterialId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type DeleteImportedKeyMaterialRequest = Static<typeof DeleteImportedKeyMaterialRequest>;

/** DeleteImportedKeyMaterial response. */
export const DeleteImportedKeyMaterialResponse = Type.Object({
  keyId: Type.String(),
  keyMaterialId: Type.Optional(Type.String()),
});
export type DeleteImportedKeyMaterialResponse = Static<typeof DeleteImportedKeyMaterialResponse>;

/** The DeleteImportedKeyMaterial operation: DELETE /v1/keys/:keyId/key-material, and TrentService.DeleteImportedKeyMaterial on the AWS protocol. */
export const deleteImportedKeyMaterialOperation = contractOperation({
  method: 'deleteImportedKeyMaterial',
  name: 'DeleteImportedKeyMaterial',
  request: DeleteImportedKeyMaterialRequest,
  response: DeleteImportedKeyMaterialResponse,
  route: { method: 'DELETE', path: '/v1/keys/:keyId/key-material' },
  safeToRetry: false, // destroys material; never repeated behind the caller's back
  aws: true,
});
