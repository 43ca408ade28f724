// GenerateMac (AWS KMS GenerateMac): an HMAC of a message (up to 4096 bytes) with an HMAC key.
// Must not import anything but TypeBox and the contract's schemas and names.

import { type Static, Type } from '@sinclair/typebox';
import {
  Binary,
  DryRun,
  GrantTokens,
  KeyIdString,
  MacAlgorithmSchema,
  binary,
  MAX_MESSAGE_BYTES,
} from '../schemas/common.js';

/** GenerateMac request. */
export const GenerateMacRequest = Type.Object(
  {
    message: binary(1, MAX_MESSAGE_BYTES),
    keyId: KeyIdString,
    macAlgorithm: MacAlgorithmSchema,
    grantTokens: Type.Optional(GrantTokens),
    dryRun: Type.Optional(DryRun),
  },
  { additionalProperties: false },
);
export type GenerateMacRequest = Static<typeof GenerateMacRequest>;

/** GenerateMac response. */
export const GenerateMacResponse = Type.Object({
  mac: Binary,
  macAlgorithm: MacAlgorithmSchema,
  keyId: Type.String(),
});
export type GenerateMacResponse = Static<typeof GenerateMacResponse>;
