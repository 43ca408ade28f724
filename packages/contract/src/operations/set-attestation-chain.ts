// SetAttestationChain (Custos): replaces the attestation identity's chain with one issued by an operator's CA.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { CertificateChain, Pem } from '../schemas/certificates.js';

/** SetAttestationChain request. */
export const SetAttestationChainRequest = Type.Object(
  {
    /**
     * PEM certificates, leaf first: the leaf certifies the attestation key (a CA certificate: it signs attestation
     * certificates), the last is the self-signed root verifiers pin.
     */
    certificateChain: CertificateChain,
  },
  { additionalProperties: false },
);
export type SetAttestationChainRequest = Static<typeof SetAttestationChainRequest>;

/** SetAttestationChain response. */
export const SetAttestationChainResponse = Type.Object({
  certificateChain: CertificateChain,
  /** The new trust anchors (what GetAttestationRoots now returns). */
  roots: Type.Array(Pem),
});
export type SetAttestationChainResponse = Static<typeof SetAttestationChainResponse>;

/** The SetAttestationChain operation: PUT /v1/attestation/chain (Custos only). */
export const setAttestationChainOperation = contractOperation({
  method: 'setAttestationChain',
  name: 'SetAttestationChain',
  request: SetAttestationChainRequest,
  response: SetAttestationChainResponse,
  route: { method: 'PUT', path: '/v1/attestation/chain' },
  safeToRetry: true, // setting the same chain again leaves the same state
  aws: false,
});
