// VerifyJose (Custos): checks a JOSE signature (raw r‖s for ES*) of a message; a bad signature is `valid: false`.
// The jwk facade's verify. Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { KeyIdString, binary } from '../schemas/common.js';
import { JoseAlg, MAX_JOSE_BYTES } from '../schemas/jose.js';

/** VerifyJose request. */
export const VerifyJoseRequest = Type.Object(
  {
    keyId: KeyIdString,
    message: binary(0, MAX_JOSE_BYTES),
    signature: binary(0, 1024),
    /** Default: the key's JWK `alg`. */
    alg: Type.Optional(JoseAlg),
  },
  { additionalProperties: false },
);
export type VerifyJoseRequest = Static<typeof VerifyJoseRequest>;

/** VerifyJose response. */
export const VerifyJoseResponse = Type.Object({ valid: Type.Boolean() });
export type VerifyJoseResponse = Static<typeof VerifyJoseResponse>;

/** The VerifyJose operation: POST /v1/keys/:keyId/jose/verify (Custos only). */
export const verifyJoseOperation = contractOperation({
  method: 'verifyJose',
  name: 'VerifyJose',
  request: VerifyJoseRequest,
  response: VerifyJoseResponse,
  route: { method: 'POST', path: '/v1/keys/:keyId/jose/verify' },
  safeToRetry: true, // a check: no state but the audit log
  aws: false,
});
