// Sign (AWS KMS Sign): signs a message (RAW, up to 4096 bytes) or a digest with an asymmetric key.
// Must not import anything but TypeBox and the contract's schemas and names.

import { type Static, Type } from '@sinclair/typebox';
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
