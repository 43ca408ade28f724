// ImportJwk (Custos): a private JWK imported in plaintext (origin EXTERNAL, audited without the key); a server
// setting can forbid it. The jwk facade's importPrivateKey.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { Description, Jwk } from '../schemas/common.js';
import { JoseAlg } from '../schemas/jose.js';

/** ImportJwk request. */
export const ImportJwkRequest = Type.Object(
  {
    /** A private JWK (RSA, EC or OKP with `d`); its `alg`, or `alg` here, picks the usage. */
    jwk: Jwk,
    /** The JOSE algorithm when the JWK names none (needed for RSA keys). */
    alg: Type.Optional(JoseAlg),
    description: Type.Optional(Description),
    /** Default false. */
    exportable: Type.Optional(Type.Boolean()),
    /** Default false. */
    publishJwk: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ImportJwkRequest = Static<typeof ImportJwkRequest>;

/** ImportJwk response. */
export const ImportJwkResponse = Type.Object({
  /** The new key's id, its JWK `kid` (the imported JWK's own `kid` is not kept). */
  kid: Type.String(),
  /** The public JWK. */
  jwk: Jwk,
});
export type ImportJwkResponse = Static<typeof ImportJwkResponse>;

/** The ImportJwk operation: POST /v1/jwk/import (Custos only). */
export const importJwkOperation = contractOperation({
  method: 'importJwk',
  name: 'ImportJwk',
  request: ImportJwkRequest,
  response: ImportJwkResponse,
  route: { method: 'POST', path: '/v1/jwk/import' },
  safeToRetry: false, // a second key
  aws: false,
});
