// Verify (AWS KMS Verify): verifies a signature; an invalid one raises INVALID_SIGNATURE (AWS KMSInvalidSignatureException).
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import {
  DryRun,
  GrantTokens,
  KeyIdString,
  MessageTypeSchema,
  SigningAlgorithmSchema,
  binary,
  MAX_MESSAGE_BYTES,
} from '../schemas/common.js';

/** Verify request. */
export const VerifyRequest = Type.Object(
  {
    keyId: KeyIdString,
    message: binary(1, MAX_MESSAGE_BYTES),
    messageType: Type.Optional(MessageTypeSchema),
    signature: binary(1, 6144),
    signingAlgorithm: SigningAlgorithmSchema,
    grantTokens: Type.Optional(GrantTokens),
    dryRun: Type.Optional(DryRun),
  },
  { additionalProperties: false },
);
export type VerifyRequest = Static<typeof VerifyRequest>;

/** Verify response. */
export const VerifyResponse = Type.Object({
  keyId: Type.String(),
  /** Always true: failures raise. */
  signatureValid: Type.Boolean(),
  signingAlgorithm: SigningAlgorithmSchema,
});
export type VerifyResponse = Static<typeof VerifyResponse>;

/** The Verify operation: POST /v1/keys/:keyId/verify, and TrentService.Verify on the AWS protocol. */
export const verifyOperation = contractOperation({
  method: 'verify',
  name: 'Verify',
  request: VerifyRequest,
  response: VerifyResponse,
  route: { method: 'POST', path: '/v1/keys/:keyId/verify' },
  safeToRetry: true, // a cryptographic operation: fresh results, no state but the audit log and use counts
  aws: true,
});
