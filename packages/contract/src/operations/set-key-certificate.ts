// SetKeyCertificate (Custos): stores a certificate chain for an asymmetric key; the leaf must certify the key's public
// key, and a chain that is not one self-signed certificate must verify to a trust anchor.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { KeyIdString } from '../schemas/common.js';
import { CertificateChain, Thumbprints, TrustDomain } from '../schemas/certificates.js';

/** SetKeyCertificate request. */
export const SetKeyCertificateRequest = Type.Object(
  {
    keyId: KeyIdString,
    /** Leaf first; intermediates after it; the trust anchor may be included or left out. */
    certificateChain: CertificateChain,
    /** The trust store domain the chain is checked against (default `default`). */
    domain: Type.Optional(TrustDomain),
  },
  { additionalProperties: false },
);
export type SetKeyCertificateRequest = Static<typeof SetKeyCertificateRequest>;

/** SetKeyCertificate response. */
export const SetKeyCertificateResponse = Type.Object({
  keyId: Type.String(),
  /** Thumbprints of the leaf. */
  thumbprints: Thumbprints,
});
export type SetKeyCertificateResponse = Static<typeof SetKeyCertificateResponse>;

/** The SetKeyCertificate operation: PUT /v1/keys/:keyId/certificate (Custos only). */
export const setKeyCertificateOperation = contractOperation({
  method: 'setKeyCertificate',
  name: 'SetKeyCertificate',
  request: SetKeyCertificateRequest,
  response: SetKeyCertificateResponse,
  route: { method: 'PUT', path: '/v1/keys/:keyId/certificate' },
  safeToRetry: true, // setting the same chain again leaves the same state
  aws: false,
});
