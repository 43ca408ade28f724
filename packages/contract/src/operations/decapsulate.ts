// Decapsulate (AWS KMS Decapsulate): recovers the shared secret of an ML-KEM ciphertext with the KEM key's private
// key (FIPS 203 ML-KEM.Decaps). Must not import anything but TypeBox and the contract's schemas and names.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { Binary, DryRun, EncapsulationAlgorithmSchema, GrantTokens, KeyIdString, binary } from '../schemas/common.js';

/** Decapsulate request. */
export const DecapsulateRequest = Type.Object(
  {
    keyId: KeyIdString,
    /** Encapsulate's `sharedSecretCiphertextBlob`; its length must be the key spec's (INVALID_CIPHERTEXT otherwise). */
    sharedSecretCiphertextBlob: binary(1, 8192),
    encapsulationAlgorithm: EncapsulationAlgorithmSchema,
    grantTokens: Type.Optional(GrantTokens),
    dryRun: Type.Optional(DryRun),
  },
  { additionalProperties: false },
);
export type DecapsulateRequest = Static<typeof DecapsulateRequest>;

/** Decapsulate response. */
export const DecapsulateResponse = Type.Object({
  keyId: Type.String(),
  sharedSecret: Binary,
  encapsulationAlgorithm: EncapsulationAlgorithmSchema,
});
export type DecapsulateResponse = Static<typeof DecapsulateResponse>;

/** The Decapsulate operation: POST /v1/keys/:keyId/decapsulate, and TrentService.Decapsulate on the AWS protocol. */
export const decapsulateOperation = contractOperation({
  method: 'decapsulate',
  name: 'Decapsulate',
  request: DecapsulateRequest,
  response: DecapsulateResponse,
  route: { method: 'POST', path: '/v1/keys/:keyId/decapsulate' },
  safeToRetry: true, // a cryptographic operation: fresh results, no state but the audit log and use counts
  aws: true,
});
