// SignJws (Custos): a compact JWS (RFC 7515) of a payload, signed by the key in Custos; `alg` and `kid` come from
// the key. Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { KeyIdString } from '../schemas/common.js';
import { Base64Url, CompactJose, JsonObject } from '../schemas/jose.js';

/** SignJws request. */
export const SignJwsRequest = Type.Object(
  {
    keyId: KeyIdString,
    /** The payload, base64url. */
    payload: Base64Url,
    /** More protected header parameters; `alg` and `kid` are the key's (a different value is refused). */
    protectedHeader: Type.Optional(JsonObject),
    /** Leave the payload out of the JWS (RFC 7515 Appendix F). Default false. */
    detached: Type.Optional(Type.Boolean()),
    /** Put the key's certificate chain in the `x5c` header (refused when the key has none). Default false. */
    includeX5c: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type SignJwsRequest = Static<typeof SignJwsRequest>;

/** SignJws response. */
export const SignJwsResponse = Type.Object({ jws: CompactJose });
export type SignJwsResponse = Static<typeof SignJwsResponse>;

/** The SignJws operation: POST /v1/keys/:keyId/jws (Custos only). */
export const signJwsOperation = contractOperation({
  method: 'signJws',
  name: 'SignJws',
  request: SignJwsRequest,
  response: SignJwsResponse,
  route: { method: 'POST', path: '/v1/keys/:keyId/jws' },
  safeToRetry: true, // a cryptographic operation: a fresh signature, no state but the audit log and use counts
  aws: false,
});
