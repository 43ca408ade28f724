// Sign (AWS KMS Sign): signs a message (RAW, up to 4096 bytes) or a digest with an asymmetric key.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import {
  Binary,
  DryRun,
  GrantTokens,
  KeyIdString,
  MessageTypeSchema,
  SigningAlgorithmSchema,
  binary,
  MAX_MESSAGE_BYTES,
} from '../schemas/common.js';

/** Sign request. */
export const SignRequest = Type.Object(
  {
    keyId: KeyIdString,
    message: binary(1, MAX_MESSAGE_BYTES),
    /** Default RAW. */
    messageType: Type.Optional(MessageTypeSchema),
    grantTokens: Type.Optional(GrantTokens),
    signingAlgorithm: SigningAlgorithmSchema,
    dryRun: Type.Optional(DryRun),
  },
  { additionalProperties: false },
);
export type SignRequest = Static<typeof SignRequest>;

/** Sign response. */
export const SignResponse = Type.Object({
  keyId: Type.String(),
  signature: Binary,
  signingAlgorithm: SigningAlgorithmSchema,
});
export type SignResponse = Static<typeof SignResponse>;

/** The Sign operation: POST /v1/keys/:keyId/sign, and TrentService.Sign on the AWS protocol. */
export const signOperation = contractOperation({
  method: 'sign',
  name: 'Sign',
  request: SignRequest,
  response: SignResponse,
  route: { method: 'POST', path: '/v1/keys/:keyId/sign' },
  safeToRetry: true, // a cryptographic operation: fresh results, no state but the audit log and use counts
  aws: true,
});
