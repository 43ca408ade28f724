// UpdateKeyPublishJwk (Custos): whether the key's public JWK appears in GET /.well-known/jwks.json (served without
// a token; enabled signing keys only). Must not import anything but TypeBox and the contract's schemas, names and
// operation row.

import { type Static, Type } from '@sinclair/typebox';
import { KeyIdString, type EmptyObject } from '../schemas/common.js';
import { contractOperation } from '../operation.js';

/** UpdateKeyPublishJwk request. */
export const UpdateKeyPublishJwkRequest = Type.Object(
  { keyId: KeyIdString, publishJwk: Type.Boolean() },
  { additionalProperties: false },
);
export type UpdateKeyPublishJwkRequest = Static<typeof UpdateKeyPublishJwkRequest>;

/** UpdateKeyPublishJwk response. */
export const UpdateKeyPublishJwkResponse = Type.Object({});
export type UpdateKeyPublishJwkResponse = EmptyObject;

/** The UpdateKeyPublishJwk operation: PUT /v1/keys/:keyId/publish-jwk (Custos only). */
export const updateKeyPublishJwkOperation = contractOperation({
  method: 'updateKeyPublishJwk',
  name: 'UpdateKeyPublishJwk',
  request: UpdateKeyPublishJwkRequest,
  response: UpdateKeyPublishJwkResponse,
  route: { method: 'PUT', path: '/v1/keys/:keyId/publish-jwk' },
  safeToRetry: true, // sets a value: applied twice, the state is the same as applied once
  aws: false,
});
