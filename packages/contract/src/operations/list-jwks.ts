// ListJwks (Custos): a JWK Set (RFC 7517 §5) of the enabled asymmetric keys' public JWKs, optionally only the keys
// carrying a tag or those of a keyring (application id, reference id). Must not import anything but TypeBox and the
// contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { Jwk, TagKey } from '../schemas/common.js';
import { ApplicationId, ReferenceId } from '../schemas/keyrings.js';

/** ListJwks request. */
export const ListJwksRequest = Type.Object(
  {
    /** Only keys with this tag. */
    tagKey: Type.Optional(TagKey),
    /** With tagKey: only keys whose tag has this value. */
    tagValue: Type.Optional(Type.String({ minLength: 0, maxLength: 256 })),
    /** Only the keys of this keyring application id (MOSIP). */
    applicationId: Type.Optional(ApplicationId),
    /** With applicationId: only the keys of this reference id ("" = the master key). */
    referenceId: Type.Optional(ReferenceId),
  },
  { additionalProperties: false },
);
export type ListJwksRequest = Static<typeof ListJwksRequest>;

/** ListJwks response: a JWK Set. */
export const ListJwksResponse = Type.Object({ keys: Type.Array(Jwk) });
export type ListJwksResponse = Static<typeof ListJwksResponse>;

/** The ListJwks operation: GET /v1/jwks (Custos only). */
export const listJwksOperation = contractOperation({
  method: 'listJwks',
  name: 'ListJwks',
  request: ListJwksRequest,
  response: ListJwksResponse,
  route: { method: 'GET', path: '/v1/jwks' },
  safeToRetry: true, // a read
  aws: false,
});
