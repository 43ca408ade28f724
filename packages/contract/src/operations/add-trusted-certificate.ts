// AddTrustedCertificate (Custos): pins a CA certificate as a trust anchor of a trust store domain.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { Pem, TrustDomain, TrustedCertificate } from '../schemas/certificates.js';

/** AddTrustedCertificate request. */
export const AddTrustedCertificateRequest = Type.Object(
  {
    /** One PEM certificate. */
    certificate: Pem,
    /** Default `default`. */
    domain: Type.Optional(TrustDomain),
  },
  { additionalProperties: false },
);
export type AddTrustedCertificateRequest = Static<typeof AddTrustedCertificateRequest>;

/** AddTrustedCertificate response: the anchor as stored. */
export const AddTrustedCertificateResponse = TrustedCertificate;
export type AddTrustedCertificateResponse = Static<typeof AddTrustedCertificateResponse>;

/** The AddTrustedCertificate operation: POST /v1/trust/certificates (Custos only). */
export const addTrustedCertificateOperation = contractOperation({
  method: 'addTrustedCertificate',
  name: 'AddTrustedCertificate',
  request: AddTrustedCertificateRequest,
  response: AddTrustedCertificateResponse,
  route: { method: 'POST', path: '/v1/trust/certificates' },
  safeToRetry: false, // a repeat after a first success answers ALREADY_EXISTS
  aws: false,
});
