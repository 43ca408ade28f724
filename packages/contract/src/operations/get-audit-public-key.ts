// GetAuditPublicKey (Custos only): the Ed25519 public key that signs the audit checkpoints, for a verifier to pin.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import type { EmptyObject } from '../schemas/common.js';
import { contractOperation } from '../operation.js';

/** GetAuditPublicKey request. */
export const GetAuditPublicKeyRequest = Type.Object({}, { additionalProperties: false });
export type GetAuditPublicKeyRequest = EmptyObject;

/** GetAuditPublicKey response: one key, three spellings. */
export const GetAuditPublicKeyResponse = Type.Object({
  /** SPKI PEM (`-----BEGIN PUBLIC KEY-----`). */
  publicKey: Type.String(),
  /** The same key as a JWK (RFC 8037: `kty` OKP, `crv` Ed25519, `x`). */
  jwk: Type.Object({ kty: Type.Literal('OKP'), crv: Type.Literal('Ed25519'), x: Type.String() }),
  /** SHA-256 (hex) of the SPKI DER: compare it out of band before pinning the key. */
  fingerprint: Type.String(),
});
export type GetAuditPublicKeyResponse = Static<typeof GetAuditPublicKeyResponse>;

/** The GetAuditPublicKey operation: GET /v1/audit/public-key (Custos only). */
export const getAuditPublicKeyOperation = contractOperation({
  method: 'getAuditPublicKey',
  name: 'GetAuditPublicKey',
  request: GetAuditPublicKeyRequest,
  response: GetAuditPublicKeyResponse,
  route: { method: 'GET', path: '/v1/audit/public-key' },
  safeToRetry: true, // a read
  aws: false,
});
