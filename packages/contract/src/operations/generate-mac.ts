// GenerateMac (AWS KMS GenerateMac): an HMAC of a message (up to 4096 bytes) with an HMAC key.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
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

/** The GenerateMac operation: POST /v1/keys/:keyId/mac, and TrentService.GenerateMac on the AWS protocol. */
export const generateMacOperation = contractOperation({
  method: 'generateMac',
  name: 'GenerateMac',
  request: GenerateMacRequest,
  response: GenerateMacResponse,
  route: { method: 'POST', path: '/v1/keys/:keyId/mac' },
  safeToRetry: true, // a cryptographic operation: fresh results, no state but the audit log and use counts
  aws: true,
});
