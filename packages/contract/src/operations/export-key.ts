// ExportKey (Custos only): the key material of an exportable key (audited), as a JWK or PEM.
// Must not import anything but TypeBox and the contract's schemas and names.

import { type Static, Type } from '@sinclair/typebox';
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
