// DeleteCustomKeyStore (AWS KMS): removes a DISCONNECTED store that holds no keys (the token and its objects are left as they are).
// Must not import anything but TypeBox and the contract's schemas.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import type { EmptyObject } from '../schemas/common.js';
import { CustomKeyStoreId } from '../schemas/custom-key-stores.js';

/** DeleteCustomKeyStore request. */
export const DeleteCustomKeyStoreRequest = Type.Object(
  {
    customKeyStoreId: CustomKeyStoreId,
  },
  { additionalProperties: false },
);
export type DeleteCustomKeyStoreRequest = Static<typeof DeleteCustomKeyStoreRequest>;

/** DeleteCustomKeyStore response (empty, as AWS's). */
export const DeleteCustomKeyStoreResponse = Type.Object({});
export type DeleteCustomKeyStoreResponse = EmptyObject;

/** The DeleteCustomKeyStore operation, and TrentService.DeleteCustomKeyStore. */
export const deleteCustomKeyStoreOperation = contractOperation({
  method: 'deleteCustomKeyStore',
  name: 'DeleteCustomKeyStore',
  request: DeleteCustomKeyStoreRequest,
  response: DeleteCustomKeyStoreResponse,
  route: { method: 'DELETE', path: '/v1/custom-key-stores/:customKeyStoreId' },
  safeToRetry: false, // the repeat fails with CUSTOM_KEY_STORE_NOT_FOUND after the first succeeded
  aws: true,
});
