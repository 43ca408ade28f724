// GenerateRandom (AWS KMS GenerateRandom): random bytes from a CSPRNG.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import { Binary, MAX_RANDOM_BYTES } from '../schemas/common.js';

/** GenerateRandom request. */
export const GenerateRandomRequest = Type.Object(
  {
    numberOfBytes: Type.Integer({ minimum: 1, maximum: MAX_RANDOM_BYTES }),
  },
  { additionalProperties: false },
);
export type GenerateRandomRequest = Static<typeof GenerateRandomRequest>;

/** GenerateRandom response. */
export const GenerateRandomResponse = Type.Object({
  plaintext: Binary,
});
export type GenerateRandomResponse = Static<typeof GenerateRandomResponse>;

/** The GenerateRandom operation: POST /v1/random, and TrentService.GenerateRandom on the AWS protocol. */
export const generateRandomOperation = contractOperation({
  method: 'generateRandom',
  name: 'GenerateRandom',
  request: GenerateRandomRequest,
  response: GenerateRandomResponse,
  route: { method: 'POST', path: '/v1/random' },
  safeToRetry: true, // a cryptographic operation: fresh results, no state but the audit log and use counts
  aws: true,
});
