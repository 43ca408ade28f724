// GetAttestationRoots (Custos): the trust anchors a verifier pins for attestations made by this Custos.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { Pem } from '../schemas/certificates.js';
import type { EmptyObject } from '../schemas/common.js';

/** GetAttestationRoots request (none). */
export const GetAttestationRootsRequest = Type.Object({}, { additionalProperties: false });
export type GetAttestationRootsRequest = EmptyObject;

/** GetAttestationRoots response. */
export const GetAttestationRootsResponse = Type.Object({
  /** PEM certificates: the root of the attestation identity's chain. */
  certificates: Type.Array(Pem),
});
export type GetAttestationRootsResponse = Static<typeof GetAttestationRootsResponse>;

/** The GetAttestationRoots operation: GET /v1/attestation/roots (Custos only). */
export const getAttestationRootsOperation = contractOperation({
  method: 'getAttestationRoots',
  name: 'GetAttestationRoots',
  request: GetAttestationRootsRequest,
  response: GetAttestationRootsResponse,
  route: { method: 'GET', path: '/v1/attestation/roots' },
  safeToRetry: true, // a read
  aws: false,
});
