// DeriveSharedSecret (AWS KMS DeriveSharedSecret): ECDH between a KEY_AGREEMENT key and a peer public key.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
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

/** The DeriveSharedSecret operation: POST /v1/keys/:keyId/shared-secret, and TrentService.DeriveSharedSecret on the AWS protocol. */
export const deriveSharedSecretOperation = contractOperation({
  method: 'deriveSharedSecret',
  name: 'DeriveSharedSecret',
  request: DeriveSharedSecretRequest,
  response: DeriveSharedSecretResponse,
  route: { method: 'POST', path: '/v1/keys/:keyId/shared-secret' },
  safeToRetry: true, // a cryptographic operation: fresh results, no state but the audit log and use counts
  aws: true,
});
