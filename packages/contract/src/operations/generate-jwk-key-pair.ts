// GenerateJwkKeyPair (Custos): a new key named by its JOSE algorithm (ES256, EdDSA, PS256, RSA-OAEP-256, ECDH-ES, …):
// the spec, usage and allowed algorithm follow from it. The jwk facade's generateKeyPair.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { Description, Jwk, Tag } from '../schemas/common.js';
import { JoseAlg } from '../schemas/jose.js';

/** GenerateJwkKeyPair request. */
export const GenerateJwkKeyPairRequest = Type.Object(
  {
    /** The JOSE algorithm (RFC 7518, 8037, 8812); an unknown one is UNSUPPORTED. */
    alg: JoseAlg,
    description: Type.Optional(Description),
    tags: Type.Optional(Type.Array(Tag)),
    /** Whether exportPrivateKey (ExportKey) may ever release it. Default false. */
    exportable: Type.Optional(Type.Boolean()),
    /** Show it in GET /.well-known/jwks.json (signing keys). Default false. */
    publishJwk: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type GenerateJwkKeyPairRequest = Static<typeof GenerateJwkKeyPairRequest>;

/** GenerateJwkKeyPair response. */
export const GenerateJwkKeyPairResponse = Type.Object({
  /** The key id, which is the JWK's `kid`. */
  kid: Type.String(),
  /** The public JWK. */
  jwk: Jwk,
});
export type GenerateJwkKeyPairResponse = Static<typeof GenerateJwkKeyPairResponse>;

/** The GenerateJwkKeyPair operation: POST /v1/jwk/keys (Custos only). */
export const generateJwkKeyPairOperation = contractOperation({
  method: 'generateJwkKeyPair',
  name: 'GenerateJwkKeyPair',
  request: GenerateJwkKeyPairRequest,
  response: GenerateJwkKeyPairResponse,
  route: { method: 'POST', path: '/v1/jwk/keys' },
  safeToRetry: false, // a second key
  aws: false,
});
