// Encapsulate (AWS KMS Encapsulate): a fresh 32-byte shared secret and its ML-KEM ciphertext under a KEM key's
// public key (FIPS 203 ML-KEM.Encaps). Must not import anything but TypeBox and the contract's schemas and names.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { Binary, DryRun, EncapsulationAlgorithmSchema, GrantTokens, KeyIdString } from '../schemas/common.js';

/** Encapsulate request. */
export const EncapsulateRequest = Type.Object(
  {
    keyId: KeyIdString,
    /** The only value is ML_KEM, as in AWS. */
    encapsulationAlgorithm: EncapsulationAlgorithmSchema,
    grantTokens: Type.Optional(GrantTokens),
    dryRun: Type.Optional(DryRun),
  },
  { additionalProperties: false },
);
export type EncapsulateRequest = Static<typeof EncapsulateRequest>;

/** Encapsulate response: the secret, and the ciphertext (768, 1088 or 1568 bytes) Decapsulate recovers it from. */
export const EncapsulateResponse = Type.Object({
  keyId: Type.String(),
  sharedSecret: Binary,
  sharedSecretCiphertextBlob: Binary,
  encapsulationAlgorithm: EncapsulationAlgorithmSchema,
});
export type EncapsulateResponse = Static<typeof EncapsulateResponse>;

/** The Encapsulate operation: POST /v1/keys/:keyId/encapsulate, and TrentService.Encapsulate on the AWS protocol. */
export const encapsulateOperation = contractOperation({
  method: 'encapsulate',
  name: 'Encapsulate',
  request: EncapsulateRequest,
  response: EncapsulateResponse,
  route: { method: 'POST', path: '/v1/keys/:keyId/encapsulate' },
  safeToRetry: true, // a cryptographic operation: fresh results, no state but the audit log and use counts
  aws: true,
});
