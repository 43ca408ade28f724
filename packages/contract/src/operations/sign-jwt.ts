// SignJwt (Custos): a JWT (RFC 7519) of a claims set, with `iat` (and `exp` when asked) set by Custos and `alg`,
// `kid` and `typ` in its header. Must not import anything but TypeBox and the contract's schemas, names and
// operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { KeyIdString } from '../schemas/common.js';
import { CompactJose, JsonObject } from '../schemas/jose.js';

/** SignJwt request. */
export const SignJwtRequest = Type.Object(
  {
    keyId: KeyIdString,
    /** The claims; `iat` is replaced by the time of signing, `exp` by iat + expiresIn when that is given. */
    claims: JsonObject,
    /** Seconds until the JWT expires (1 s to 10 years). */
    expiresIn: Type.Optional(Type.Integer({ minimum: 1, maximum: 315_360_000 })),
  },
  { additionalProperties: false },
);
export type SignJwtRequest = Static<typeof SignJwtRequest>;

/** SignJwt response. */
export const SignJwtResponse = Type.Object({ jwt: CompactJose });
export type SignJwtResponse = Static<typeof SignJwtResponse>;

/** The SignJwt operation: POST /v1/keys/:keyId/jwt (Custos only). */
export const signJwtOperation = contractOperation({
  method: 'signJwt',
  name: 'SignJwt',
  request: SignJwtRequest,
  response: SignJwtResponse,
  route: { method: 'POST', path: '/v1/keys/:keyId/jwt' },
  safeToRetry: true, // a cryptographic operation: a fresh signature, no state but the audit log and use counts
  aws: false,
});
