// ListKeyRotations (AWS KMS ListKeyRotations): the rotations (key versions after the first) of a key, paged.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { ExpirationModelSchema, KeyIdString, KeyVersion, Limit, Marker, literalUnion } from '../schemas/common.js';
import { IMPORT_STATES, INCLUDE_KEY_MATERIAL, KEY_MATERIAL_STATES, ROTATION_TYPES } from '../names.js';

/** AWS RotationsListEntry, plus the Custos key version the rotation created. */
export const RotationsListEntry = Type.Object({
  keyId: Type.String(),
  rotationDate: Type.Optional(Type.Date()),
  rotationType: Type.Optional(literalUnion(ROTATION_TYPES)),
  keyMaterialId: Type.Optional(Type.String()),
  keyMaterialDescription: Type.Optional(Type.String()),
  importState: Type.Optional(literalUnion(IMPORT_STATES)),
  keyMaterialState: Type.Optional(literalUnion(KEY_MATERIAL_STATES)),
  expirationModel: Type.Optional(ExpirationModelSchema),
  validTo: Type.Optional(Type.Date()),
  /** Custos. */
  keyVersion: Type.Optional(KeyVersion),
});
export type RotationsListEntry = Static<typeof RotationsListEntry>;

/** ListKeyRotations request. */
export const ListKeyRotationsRequest = Type.Object(
  {
    keyId: KeyIdString,
    includeKeyMaterial: Type.Optional(literalUnion(INCLUDE_KEY_MATERIAL)),
    limit: Type.Optional(Limit),
    marker: Type.Optional(Marker),
  },
  { additionalProperties: false },
);
export type ListKeyRotationsRequest = Static<typeof ListKeyRotationsRequest>;

/** ListKeyRotations response. */
export const ListKeyRotationsResponse = Type.Object({
  rotations: Type.Array(RotationsListEntry),
  nextMarker: Type.Optional(Type.String()),
  truncated: Type.Boolean(),
});
export type ListKeyRotationsResponse = Static<typeof ListKeyRotationsResponse>;

/** The ListKeyRotations operation: GET /v1/keys/:keyId/rotations, and TrentService.ListKeyRotations on the AWS protocol. */
export const listKeyRotationsOperation = contractOperation({
  method: 'listKeyRotations',
  name: 'ListKeyRotations',
  request: ListKeyRotationsRequest,
  response: ListKeyRotationsResponse,
  route: { method: 'GET', path: '/v1/keys/:keyId/rotations' },
  safeToRetry: true, // a read
  aws: true,
});
