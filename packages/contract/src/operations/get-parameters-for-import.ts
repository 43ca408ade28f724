// GetParametersForImport (AWS KMS GetParametersForImport): a wrapping public key and an import token for ImportKeyMaterial.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
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

/** The GetParametersForImport operation: POST /v1/keys/:keyId/import-parameters, and TrentService.GetParametersForImport on the AWS protocol. */
export const getParametersForImportOperation = contractOperation({
  method: 'getParametersForImport',
  name: 'GetParametersForImport',
  request: GetParametersForImportRequest,
  response: GetParametersForImportResponse,
  route: { method: 'POST', path: '/v1/keys/:keyId/import-parameters' },
  safeToRetry: false, // issues a new wrapping key and import token each call
  aws: true,
});
