// VerifyJws (Custos): checks a compact JWS or JWT against the Custos key its `kid` names; a bad signature is an
// answer (`valid: false`), not an error. Must not import anything but TypeBox and the contract's schemas, names and
// operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { Base64Url, CompactJose, JsonObject } from '../schemas/jose.js';

/** VerifyJws request. */
export const VerifyJwsRequest = Type.Object(
  {
    jws: CompactJose,
    /** The payload of a detached JWS, base64url. */
    payload: Type.Optional(Base64Url),
  },
  { additionalProperties: false },
);
export type VerifyJwsRequest = Static<typeof VerifyJwsRequest>;

/** VerifyJws response. */
export const VerifyJwsResponse = Type.Object({
  valid: Type.Boolean(),
  /** The protected header, when the JWS verified. */
  header: Type.Optional(JsonObject),
  /** The payload, base64url, when the JWS verified. */
  payload: Type.Optional(Base64Url),
});
export type VerifyJwsResponse = Static<typeof VerifyJwsResponse>;

/** The VerifyJws operation: POST /v1/jws/verify (Custos only). */
export const verifyJwsOperation = contractOperation({
  method: 'verifyJws',
  name: 'VerifyJws',
  request: VerifyJwsRequest,
  response: VerifyJwsResponse,
  route: { method: 'POST', path: '/v1/jws/verify' },
  safeToRetry: true, // a check: no state but the audit log
  aws: false,
});
