// ImportKeyMaterial (AWS KMS ImportKeyMaterial): imports wrapped key material into an EXTERNAL key.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
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

/** The ImportKeyMaterial operation: POST /v1/keys/:keyId/import, and TrentService.ImportKeyMaterial on the AWS protocol. */
export const importKeyMaterialOperation = contractOperation({
  method: 'importKeyMaterial',
  name: 'ImportKeyMaterial',
  request: ImportKeyMaterialRequest,
  response: ImportKeyMaterialResponse,
  route: { method: 'POST', path: '/v1/keys/:keyId/import' },
  safeToRetry: false, // changes key state and expiry; a repeat after a partial failure should be the caller's decision
  aws: true,
});
