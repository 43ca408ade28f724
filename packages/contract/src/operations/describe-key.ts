// DescribeKey (AWS KMS DescribeKey): the metadata of one key.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { GrantTokens, KeyIdString, KeyMetadata } from '../schemas/common.js';
import { contractOperation } from '../operation.js';

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

/** The DescribeKey operation: GET /v1/keys/:keyId, and TrentService.DescribeKey on the AWS protocol. */
export const describeKeyOperation = contractOperation({
  method: 'describeKey',
  name: 'DescribeKey',
  request: DescribeKeyRequest,
  response: DescribeKeyResponse,
  route: { method: 'GET', path: '/v1/keys/:keyId' },
  safeToRetry: true, // a read
  aws: true,
});
