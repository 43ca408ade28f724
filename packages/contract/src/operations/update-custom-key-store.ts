// UpdateCustomKeyStore (AWS KMS): a DISCONNECTED store's name, PIN or token label. Must not import anything but
// TypeBox and the contract's schemas.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import type { EmptyObject } from '../schemas/common.js';
import {
  CloudHsmClusterId,
  CustomKeyStoreId,
  CustomKeyStoreName,
  KeyStorePassword,
} from '../schemas/custom-key-stores.js';

/**
 * UpdateCustomKeyStore request: at least one of `newCustomKeyStoreName`, `keyStorePassword` (the token's PIN,
 * stored wrapped; it does not change the PIN in the token) and `cloudHsmClusterId` (another token label: one
 * holding the same key objects, e.g. a restored copy).
 */
export const UpdateCustomKeyStoreRequest = Type.Object(
  {
    customKeyStoreId: CustomKeyStoreId,
    newCustomKeyStoreName: Type.Optional(CustomKeyStoreName),
    keyStorePassword: Type.Optional(KeyStorePassword),
    cloudHsmClusterId: Type.Optional(CloudHsmClusterId),
  },
  { additionalProperties: false },
);
export type UpdateCustomKeyStoreRequest = Static<typeof UpdateCustomKeyStoreRequest>;

/** UpdateCustomKeyStore response (empty, as AWS's). */
export const UpdateCustomKeyStoreResponse = Type.Object({});
export type UpdateCustomKeyStoreResponse = EmptyObject;

/** The UpdateCustomKeyStore operation: PUT /v1/custom-key-stores/:customKeyStoreId, and TrentService.UpdateCustomKeyStore. */
export const updateCustomKeyStoreOperation = contractOperation({
  method: 'updateCustomKeyStore',
  name: 'UpdateCustomKeyStore',
  request: UpdateCustomKeyStoreRequest,
  response: UpdateCustomKeyStoreResponse,
  route: { method: 'PUT', path: '/v1/custom-key-stores/:customKeyStoreId' },
  safeToRetry: true, // the same update again leaves the same row
  aws: true,
});
