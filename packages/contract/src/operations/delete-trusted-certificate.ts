// DeleteTrustedCertificate (Custos): unpins a trust anchor; chains to it stop verifying at once.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import type { EmptyObject } from '../schemas/common.js';
import { contractOperation } from '../operation.js';

/** DeleteTrustedCertificate request. */
export const DeleteTrustedCertificateRequest = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);
export type DeleteTrustedCertificateRequest = Static<typeof DeleteTrustedCertificateRequest>;

/** DeleteTrustedCertificate response. */
export const DeleteTrustedCertificateResponse = Type.Object({});
export type DeleteTrustedCertificateResponse = EmptyObject;

/** The DeleteTrustedCertificate operation: DELETE /v1/trust/certificates/:id (Custos only). */
export const deleteTrustedCertificateOperation = contractOperation({
  method: 'deleteTrustedCertificate',
  name: 'DeleteTrustedCertificate',
  request: DeleteTrustedCertificateRequest,
  response: DeleteTrustedCertificateResponse,
  route: { method: 'DELETE', path: '/v1/trust/certificates/:id' },
  safeToRetry: false, // a repeat after a first success answers NOT_FOUND
  aws: false,
});
