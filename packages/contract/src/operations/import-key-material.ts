// ImportKeyMaterial (AWS KMS ImportKeyMaterial): imports wrapped key material into an EXTERNAL key.
// Must not import anything but TypeBox and the contract's schemas and names.

import { type Static, Type } from '@sinclair/typebox';
import { ExpirationModelSchema, KeyIdString, binary, literalUnion } from '../schemas/common.js';
import { IMPORT_TYPES } from '../names.js';

/** ImportKeyMaterial request. */
export const ImportKeyMaterialRequest = Type.Object(
  {
    keyId: KeyIdString,
    importToken: binary(1, 6144),
    encryptedKeyMaterial: binary(1, 6144),
    validTo: Type.Optional(Type.Date()),
    expirationModel: Type.Optional(ExpirationModelSchema),
    importType: Type.Optional(literalUnion(IMPORT_TYPES)),
    keyMaterialDescription: Type.Optional(Type.String({ minLength: 0, maxLength: 256 })),
    keyMaterialId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type ImportKeyMaterialRequest = Static<typeof ImportKeyMaterialRequest>;

/** ImportKeyMaterial response. */
export const ImportKeyMaterialResponse = Type.Object({
  keyId: Type.String(),
  keyMaterialId: Type.Optional(Type.String()),
});
export type ImportKeyMaterialResponse = Static<typeof ImportKeyMaterialResponse>;
