// UpdateKeyConstraints (Custos only): changes usage constraints; `null` clears one, an absent field leaves it unchanged.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { AlgorithmSchema, KeyIdString, KeyMetadata } from '../schemas/common.js';

/** UpdateKeyConstraints request. */
export const UpdateKeyConstraintsRequest = Type.Object(
  {
    keyId: KeyIdString,
    allowedAlgorithms: Type.Optional(Type.Union([Type.Array(AlgorithmSchema, { minItems: 1 }), Type.Null()])),
    notBefore: Type.Optional(Type.Union([Type.Date(), Type.Null()])),
    notAfter: Type.Optional(Type.Union([Type.Date(), Type.Null()])),
    maxUses: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type UpdateKeyConstraintsRequest = Static<typeof UpdateKeyConstraintsRequest>;

/** UpdateKeyConstraints response. */
export const UpdateKeyConstraintsResponse = Type.Object({
  keyMetadata: KeyMetadata,
});
export type UpdateKeyConstraintsResponse = Static<typeof UpdateKeyConstraintsResponse>;

/** The UpdateKeyConstraints operation: PUT /v1/keys/:keyId/constraints (Custos only). */
export const updateKeyConstraintsOperation = contractOperation({
  method: 'updateKeyConstraints',
  name: 'UpdateKeyConstraints',
  request: UpdateKeyConstraintsRequest,
  response: UpdateKeyConstraintsResponse,
  route: { method: 'PUT', path: '/v1/keys/:keyId/constraints' },
  safeToRetry: true, // sets a value: applied twice, the state is the same as applied once
  aws: false,
});
