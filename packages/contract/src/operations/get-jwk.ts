// GetJwk (Custos): an asymmetric key's public JWK (RFC 7517) with kid, kty, crv, alg, key_ops, and x5c when the key
// has a certificate. Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { Jwk, KeyIdString } from '../schemas/common.js';

/** GetJwk request. */
export const GetJwkRequest = Type.Object({ keyId: KeyIdString }, { additionalProperties: false });
export type GetJwkRequest = Static<typeof GetJwkRequest>;

/** GetJwk response. */
export const GetJwkResponse = Type.Object({
  /** The public JWK; `kid` is the key id. */
  jwk: Jwk,
});
export type GetJwkResponse = Static<typeof GetJwkResponse>;

/** The GetJwk operation: GET /v1/keys/:keyId/jwk (Custos only). */
export const getJwkOperation = contractOperation({
  method: 'getJwk',
  name: 'GetJwk',
  request: GetJwkRequest,
  response: GetJwkResponse,
  route: { method: 'GET', path: '/v1/keys/:keyId/jwk' },
  safeToRetry: true, // a read
  aws: false,
});
