// DisconnectCustomKeyStore (AWS KMS): closes the store's token sessions; its keys cannot be used until it is connected again.
// Must not import anything but TypeBox and the contract's schemas.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import type { EmptyObject } from '../schemas/common.js';
import { CustomKeyStoreId } from '../schemas/custom-key-stores.js';

/** DisconnectCustomKeyStore request. */
export const DisconnectCustomKeyStoreRequest = Type.Object(
  {
    customKeyStoreId: CustomKeyStoreId,
  },
  { additionalProperties: false },
);
export type DisconnectCustomKeyStoreRequest = Static<typeof DisconnectCustomKeyStoreRequest>;

/** DisconnectCustomKeyStore response (empty, as AWS's). */
export const DisconnectCustomKeyStoreResponse = Type.Object({});
export type DisconnectCustomKeyStoreResponse = EmptyObject;

/** The DisconnectCustomKeyStore operation, and TrentService.DisconnectCustomKeyStore. */
export const disconnectCustomKeyStoreOperation = contractOperation({
  method: 'disconnectCustomKeyStore',
  name: 'DisconnectCustomKeyStore',
  request: DisconnectCustomKeyStoreRequest,
  response: DisconnectCustomKeyStoreResponse,
  route: { method: 'POST', path: '/v1/custom-key-stores/:customKeyStoreId/disconnect' },
  safeToRetry: true, // disconnecting a DISCONNECTED store changes nothing
  aws: true,
});
