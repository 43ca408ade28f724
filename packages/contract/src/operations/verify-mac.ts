// VerifyMac (AWS KMS VerifyMac): checks an HMAC; a wrong one raises INVALID_MAC (AWS KMSInvalidMacException).
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { DryRun, GrantTokens, KeyIdString, MacAlgorithmSchema, binary, MAX_MESSAGE_BYTES } from '../schemas/common.js';

/** VerifyMac request. */
export const VerifyMacRequest = Type.Object(
  {
    message: binary(1, MAX_MESSAGE_BYTES),
    keyId: KeyIdString,
    macAlgorithm: MacAlgorithmSchema,
    mac: binary(1, 6144),
    grantTokens: Type.Optional(GrantTokens),
    dryRun: Type.Optional(DryRun),
  },
  { additionalProperties: false },
);
export type VerifyMacRequest = Static<typeof VerifyMacRequest>;

/** VerifyMac response. */
export const VerifyMacResponse = Type.Object({
  keyId: Type.String(),
  /** Always true: failures raise. */
  macValid: Type.Boolean(),
  macAlgorithm: MacAlgorithmSchema,
});
export type VerifyMacResponse = Static<typeof VerifyMacResponse>;

/** The VerifyMac operation: POST /v1/keys/:keyId/verify-mac, and TrentService.VerifyMac on the AWS protocol. */
export const verifyMacOperation = contractOperation({
  method: 'verifyMac',
  name: 'VerifyMac',
  request: VerifyMacRequest,
  response: VerifyMacResponse,
  route: { method: 'POST', path: '/v1/keys/:keyId/verify-mac' },
  safeToRetry: true, // a cryptographic operation: fresh results, no state but the audit log and use counts
  aws: true,
});
