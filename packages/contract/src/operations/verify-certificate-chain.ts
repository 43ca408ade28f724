// VerifyCertificateChain (Custos): builds a path from a leaf to a trust anchor of a domain and checks validity
// times, signatures, basicConstraints and path lengths, and keyUsage. A chain that fails is an answer, not an error.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { CertificateChain, ChainFailureSchema, PathElement, TrustDomain } from '../schemas/certificates.js';

/** VerifyCertificateChain request. */
export const VerifyCertificateChainRequest = Type.Object(
  {
    /** Leaf first, then any intermediates (in any order); the anchor itself may be left out. */
    certificateChain: CertificateChain,
    /** Default `default`. */
    domain: Type.Optional(TrustDomain),
    /** The time to verify at; default now. */
    at: Type.Optional(Type.Date()),
  },
  { additionalProperties: false },
);
export type VerifyCertificateChainRequest = Static<typeof VerifyCertificateChainRequest>;

/** VerifyCertificateChain response. */
export const VerifyCertificateChainResponse = Type.Object({
  valid: Type.Boolean(),
  /** The path found, leaf first, ending at the trust anchor when valid (as far as it was built otherwise). */
  path: Type.Array(PathElement),
  /** Why the chain failed (absent when valid). */
  reason: Type.Optional(ChainFailureSchema),
  /** What failed, for people (absent when valid). */
  detail: Type.Optional(Type.String()),
});
export type VerifyCertificateChainResponse = Static<typeof VerifyCertificateChainResponse>;

/** The VerifyCertificateChain operation: POST /v1/trust/verify (Custos only). */
export const verifyCertificateChainOperation = contractOperation({
  method: 'verifyCertificateChain',
  name: 'VerifyCertificateChain',
  request: VerifyCertificateChainRequest,
  response: VerifyCertificateChainResponse,
  route: { method: 'POST', path: '/v1/trust/verify' },
  safeToRetry: true, // a read
  aws: false,
});
