// ListTrustedCertificates (Custos): the trust anchors, oldest first, paged, of one domain or all.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { Limit, Marker } from '../schemas/common.js';
import { TrustDomain, TrustedCertificate } from '../schemas/certificates.js';

/** ListTrustedCertificates request. */
export const ListTrustedCertificatesRequest = Type.Object(
  {
    /** Only this domain's anchors; absent: every domain's. */
    domain: Type.Optional(TrustDomain),
    limit: Type.Optional(Limit),
    marker: Type.Optional(Marker),
  },
  { additionalProperties: false },
);
export type ListTrustedCertificatesRequest = Static<typeof ListTrustedCertificatesRequest>;

/** ListTrustedCertificates response. */
export const ListTrustedCertificatesResponse = Type.Object({
  certificates: Type.Array(TrustedCertificate),
  nextMarker: Type.Optional(Type.String()),
  truncated: Type.Boolean(),
});
export type ListTrustedCertificatesResponse = Static<typeof ListTrustedCertificatesResponse>;

/** The ListTrustedCertificates operation: GET /v1/trust/certificates (Custos only). */
export const listTrustedCertificatesOperation = contractOperation({
  method: 'listTrustedCertificates',
  name: 'ListTrustedCertificates',
  request: ListTrustedCertificatesRequest,
  response: ListTrustedCertificatesResponse,
  route: { method: 'GET', path: '/v1/trust/certificates' },
  safeToRetry: true, // a read
  aws: false,
});
