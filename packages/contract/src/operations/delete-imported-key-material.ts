// DeleteImportedKeyMaterial (AWS KMS DeleteImportedKeyMaterial): deletes imported material; the key goes to PendingImport.
// Must not import anything but TypeBox and the contract's schemas and names.

import { type Static, Type } from '@sinclair/typebox';
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
