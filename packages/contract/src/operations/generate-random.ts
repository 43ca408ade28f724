// GenerateRandom (AWS KMS GenerateRandom): random bytes from a CSPRNG.
// Must not import anything but TypeBox and the contract's schemas and names.

import { type Static, Type } from '@sinclair/typebox';
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
