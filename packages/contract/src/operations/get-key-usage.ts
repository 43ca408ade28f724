// GetKeyUsage (Custos): how often each version of a key was used, per operation, and when last.
// Must not import anything but TypeBox and the contract's schemas, names and operation row.

import { type Static, Type } from '@sinclair/typebox';
import { KeyIdString } from '../schemas/common.js';
import { contractOperation } from '../operation.js';

/** GetKeyUsage request. */
export const GetKeyUsageRequest = Type.Object({ keyId: KeyIdString }, { additionalProperties: false });
export type GetKeyUsageRequest = Static<typeof GetKeyUsageRequest>;

/** The uses of one key version by one operation (its AWS name: Encrypt, Decrypt, Sign, GenerateDataKey, ...). */
export const KeyUsageEntry = Type.Object({
  keyVersion: Type.Integer({ minimum: 0 }),
  operation: Type.String(),
  count: Type.Integer({ minimum: 0 }),
  lastUsedAt: Type.Date(),
});
export type KeyUsageEntry = Static<typeof KeyUsageEntry>;

/** GetKeyUsage response: one entry per version and operation used, by version then operation. */
export const GetKeyUsageResponse = Type.Object({
  keyId: Type.String(),
  /** The last use of any version; absent when the key has never been used. */
  lastUsedAt: Type.Optional(Type.Date()),
  usage: Type.Array(KeyUsageEntry),
});
export type GetKeyUsageResponse = Static<typeof GetKeyUsageResponse>;

/**
 * The GetKeyUsage operation: GET /v1/keys/:keyId/usage (native only). Counts are flushed in batches: another
 * process's uses show within its flush interval (default 1 s); the answering process's own at once.
 */
export const getKeyUsageOperation = contractOperation({
  method: 'getKeyUsage',
  name: 'GetKeyUsage',
  request: GetKeyUsageRequest,
  response: GetKeyUsageResponse,
  route: { method: 'GET', path: '/v1/keys/:keyId/usage' },
  safeToRetry: true, // a read
  aws: false,
});
