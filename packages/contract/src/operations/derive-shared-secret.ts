// DeriveSharedSecret (AWS KMS DeriveSharedSecret): ECDH between a KEY_AGREEMENT key and a peer public key.
// Must not import anything but TypeBox and the contract's schemas and names.

import { type Static, Type } from '@sinclair/typebox';
import {
  Binary,
  DryRun,
  GrantTokens,
  KeyAgreementAlgorithmSchema,
  KeyIdString,
  OriginSchema,
  binary,
} from '../schemas/common.js';

/** DeriveSharedSecret request. */
export const DeriveSharedSecretRequest = Type.Object(
  {
    keyId: KeyIdString,
    keyAgreementAlgorithm: KeyAgreementAlgorithmSchema,
    /** The peer public key, SubjectPublicKeyInfo DER. */
    publicKey: binary(1, 8192),
    grantTokens: Type.Optional(GrantTokens),
    dryRun: Type.Optional(DryRun),
  },
  { additionalProperties: false },
);
export type DeriveSharedSecretRequest = Static<typeof DeriveSharedSecretRequest>;

/** DeriveSharedSecret response. */
export const DeriveSharedSecretResponse = Type.Object({
  keyId: Type.String(),
  sharedSecret: Binary,
  keyAgreementAlgorithm: KeyAgreementAlgorithmSchema,
  keyOrigin: OriginSchema,
});
export type DeriveSharedSecretResponse = Static<typeof DeriveSharedSecretResponse>;
