// GetKeyCertificate (Custos): the certificate chain stored for a key, with the leaf's thumbprints.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { KeyIdString } from '../schemas/common.js';
import { Thumbprints } from '../schemas/certificates.js';

/** GetKeyCertificate request. */
export const GetKeyCertificateRequest = Type.Object({ keyId: KeyIdString }, { additionalProperties: false });
export type GetKeyCertificateRequest = Static<typeof GetKeyCertificateRequest>;

/** GetKeyCertificate response. */
export const GetKeyCertificateResponse = Type.Object({
  keyId: Type.String(),
  /** PEM certificates, leaf first. */
  certificateChain: Type.Array(Type.String()),
  /** Thumbprints of the leaf's DER, lower-case hex. */
  thumbprints: Thumbprints,
});
export type GetKeyCertificateResponse = Static<typeof GetKeyCertificateResponse>;

/** The GetKeyCertificate operation: GET /v1/keys/:keyId/certificate (Custos only). */
export const getKeyCertificateOperation = contractOperation({
  method: 'getKeyCertificate',
  name: 'GetKeyCertificate',
  request: GetKeyCertificateRequest,
  response: GetKeyCertificateResponse,
  route: { method: 'GET', path: '/v1/keys/:keyId/certificate' },
  safeToRetry: true, // a read
  aws: false,
});
