// DescribeKey (AWS KMS DescribeKey): the metadata of one key.
// Must not import anything but TypeBox and the contract's schemas and names.

import { type Static, Type } from '@sinclair/typebox';
import { GrantTokens, KeyIdString, KeyMetadata } from '../schemas/common.js';

/** DescribeKey request. */
export const DescribeKeyRequest = Type.Object(
  {
    keyId: KeyIdString,
    grantTokens: Type.Optional(GrantTokens),
  },
  { additionalProperties: false },
);
export type DescribeKeyRequest = Static<typeof DescribeKeyRequest>;

/** DescribeKey response. */
export const DescribeKeyResponse = Type.Object({
  keyMetadata: KeyMetadata,
});
export type DescribeKeyResponse = Static<typeof DescribeKeyResponse>;
