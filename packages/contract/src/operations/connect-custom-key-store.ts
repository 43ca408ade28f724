// ConnectCustomKeyStore (AWS KMS): opens a session on the store's token (logs in with its PIN) on this node; a wrong PIN or a missing token leaves the store FAILED with its ConnectionErrorCode.
// Must not import anything but TypeBox and the contract's schemas.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import type { EmptyObject } from '../schemas/common.js';
import { CustomKeyStoreId } from '../schemas/custom-key-stores.js';

/** ConnectCustomKeyStore request. */
export const ConnectCustomKeyStoreRequest = Type.Object(
  {
    customKeyStoreId: CustomKeyStoreId,
  },
  { additionalProperties: false },
);
export type ConnectCustomKeyStoreRequest = Static<typeof ConnectCustomKeyStoreRequest>;

/** ConnectCustomKeyStore response (empty, as AWS's). */
export const ConnectCustomKeyStoreResponse = Type.Object({});
export type ConnectCustomKeyStoreResponse = EmptyObject;

/** The ConnectCustomKeyStore operation, and TrentService.ConnectCustomKeyStore. */
export const connectCustomKeyStoreOperation = contractOperation({
  method: 'connectCustomKeyStore',
  name: 'ConnectCustomKeyStore',
  request: ConnectCustomKeyStoreRequest,
  response: ConnectCustomKeyStoreResponse,
  route: { method: 'POST', path: '/v1/custom-key-stores/:customKeyStoreId/connect' },
  safeToRetry: true, // connecting a CONNECTED store changes nothing
  aws: true,
});
