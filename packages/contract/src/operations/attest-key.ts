// AttestKey (Custos): the attestation identity vouches for a key's properties and the verifier's challenge: an X.509
// certificate of an asymmetric key's public key, or a JWS for a symmetric or HMAC key (docs/attestation.md).
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { binary, KeyIdString, literalUnion } from '../schemas/common.js';
import { CertificateChain } from '../schemas/certificates.js';

/** AttestKey request. */
export const AttestKeyRequest = Type.Object(
  {
    keyId: KeyIdString,
    /** The verifier's challenge, 16..128 bytes (HUKS's HKS_ATTEST_CHALLENGE_MIN/MAX_SIZE); base64 on the wire. */
    challenge: binary(16, 128),
  },
  { additionalProperties: false },
);
export type AttestKeyRequest = Static<typeof AttestKeyRequest>;

/** AttestKey response. */
export const AttestKeyResponse = Type.Object({
  keyId: Type.String(),
  /** `X509`: the leaf of `certificateChain` certifies the key; `JWS`: `jws` is the statement. */
  format: literalUnion(['X509', 'JWS'] as const),
  /** PEM certificates, leaf first: the key's attestation certificate then the identity's chain (X509), or the identity's chain, the JWS's `x5c` (JWS). */
  certificateChain: CertificateChain,
  /** JWS only: the compact JWS (ES256) whose payload holds the attested properties. */
  jws: Type.Optional(Type.String()),
});
export type AttestKeyResponse = Static<typeof AttestKeyResponse>;

/** The AttestKey operation: POST /v1/keys/:keyId/attestation (Custos only). */
export const attestKeyOperation = contractOperation({
  method: 'attestKey',
  name: 'AttestKey',
  request: AttestKeyRequest,
  response: AttestKeyResponse,
  route: { method: 'POST', path: '/v1/keys/:keyId/attestation' },
  safeToRetry: true, // a signed statement: a fresh result, no state but the audit log
  aws: false,
});
