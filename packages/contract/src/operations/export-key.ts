// ExportKey (Custos only): the key material of an exportable key (audited), as a JWK or PEM.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { Jwk, KeyIdString, KeyVersion, literalUnion } from '../schemas/common.js';
import { EXPORT_FORMATS } from '../names.js';

/** ExportKey request. */
export const ExportKeyRequest = Type.Object(
  {
    keyId: KeyIdString,
    format: literalUnion(EXPORT_FORMATS),
    /** Default: the current version. */
    keyVersion: Type.Optional(KeyVersion),
  },
  { additionalProperties: false },
);
export type ExportKeyRequest = Static<typeof ExportKeyRequest>;

/** ExportKey response. */
export const ExportKeyResponse = Type.Object({
  keyId: Type.String(),
  keyVersion: KeyVersion,
  /** With format JWK. */
  jwk: Type.Optional(Jwk),
  /** With format PEM: PKCS#8 for private keys. */
  pem: Type.Optional(Type.String()),
});
export type ExportKeyResponse = Static<typeof ExportKeyResponse>;

/** The ExportKey operation: POST /v1/keys/:keyId/export (Custos only). */
export const exportKeyOperation = contractOperation({
  method: 'exportKey',
  name: 'ExportKey',
  request: ExportKeyRequest,
  response: ExportKeyResponse,
  route: { method: 'POST', path: '/v1/keys/:keyId/export' },
  safeToRetry: false, // releases key material: each release is a deliberate, audited act
  aws: false,
});
