// GetParametersForImport (AWS KMS GetParametersForImport): a wrapping public key and an import token for ImportKeyMaterial.
// Must not import anything but TypeBox and the contract's schemas and names.

import { type Static, Type } from '@sinclair/typebox';
import { Binary, KeyIdString, WrappingAlgorithmSchema, WrappingKeySpecSchema } from '../schemas/common.js';

/** GetParametersForImport request. */
export const GetParametersForImportRequest = Type.Object(
  {
    keyId: KeyIdString,
    wrappingAlgorithm: WrappingAlgorithmSchema,
    wrappingKeySpec: WrappingKeySpecSchema,
  },
  { additionalProperties: false },
);
export type GetParametersForImportRequest = Static<typeof GetParametersForImportRequest>;

/** GetParametersForImport response. */
export const GetParametersForImportResponse = Type.Object({
  keyId: Type.String(),
  importToken: Binary,
  /** SubjectPublicKeyInfo DER of the wrapping key. */
  publicKey: Binary,
  parametersValidTo: Type.Date(),
});
export type GetParametersForImportResponse = Static<typeof GetParametersForImportResponse>;
