// SignJose (Custos): the JOSE signature (RFC 7518 §3: raw r‖s for ES*) of a message with the key's JWK `alg`.
// The jwk facade's sign. Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { Binary, KeyIdString, binary } from '../schemas/common.js';
import { JoseAlg, MAX_JOSE_BYTES } from '../schemas/jose.js';

/** SignJose request. */
export const SignJoseRequest = Type.Object(
  {
    keyId: KeyIdString,
    message: binary(0, MAX_JOSE_BYTES),
    /** Default: the key's JWK `alg`; needed when the key allows several. */
    alg: Type.Optional(JoseAlg),
  },
  { additionalProperties: false },
);
export type SignJoseRequest = Static<typeof SignJoseRequest>;

/** SignJose response. */
export const SignJoseResponse = Type.Object({ signature: Binary, alg: Type.String() });
export type SignJoseResponse = Static<typeof SignJoseResponse>;

/** The SignJose operation: POST /v1/keys/:keyId/jose/sign (Custos only). */
export const signJoseOperation = contractOperation({
  method: 'signJose',
  name: 'SignJose',
  request: SignJoseRequest,
  response: SignJoseResponse,
  route: { method: 'POST', path: '/v1/keys/:keyId/jose/sign' },
  safeToRetry: true, // a cryptographic operation: fresh results, no state but the audit log and use counts
  aws: false,
});
