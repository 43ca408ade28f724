// CreateCustomKeyStore (AWS KMS): a custom key store backed, on Custos, by a PKCS#11 token of the module the server
// is configured with (a client never names a library). Must not import anything but TypeBox and the contract's schemas.

import { type Static, Type } from '@sinclair/typebox';
import { contractOperation } from '../operation.js';
import {
  CloudHsmClusterId,
  CustomKeyStoreName,
  CustomKeyStoreTypeSchema,
  KeyStorePassword,
} from '../schemas/custom-key-stores.js';

/**
 * CreateCustomKeyStore request. `cloudHsmClusterId` is the token's label, `keyStorePassword` its user PIN (stored
 * wrapped under the root key, never returned), `trustAnchorCertificate` a PEM certificate (checked and kept).
 * `customKeyStoreType` defaults to AWS_CLOUDHSM; EXTERNAL_KEY_STORE is refused (UNSUPPORTED).
 */
export const CreateCustomKeyStoreRequest = Type.Object(
  {
    customKeyStoreName: CustomKeyStoreName,
    cloudHsmClusterId: Type.Optional(CloudHsmClusterId),
    trustAnchorCertificate: Type.Optional(Type.String({ minLength: 1, maxLength: 5000 })),
    keyStorePassword: Type.Optional(KeyStorePassword),
    customKeyStoreType: Type.Optional(CustomKeyStoreTypeSchema),
  },
  { additionalProperties: false },
);
export type CreateCustomKeyStoreRequest = Static<typeof CreateCustomKeyStoreRequest>;

/** CreateCustomKeyStore response: the new store's id (`cks-` + 17 hex characters); it starts DISCONNECTED. */
export const CreateCustomKeyStoreResponse = Type.Object({
  customKeyStoreId: Type.String(),
});
export type CreateCustomKeyStoreResponse = Static<typeof CreateCustomKeyStoreResponse>;

/** The CreateCustomKeyStore operation: POST /v1/custom-key-stores, and TrentService.CreateCustomKeyStore. */
export const createCustomKeyStoreOperation = contractOperation({
  method: 'createCustomKeyStore',
  name: 'CreateCustomKeyStore',
  request: CreateCustomKeyStoreRequest,
  response: CreateCustomKeyStoreResponse,
  route: { method: 'POST', path: '/v1/custom-key-stores' },
  safeToRetry: false, // a repeat fails with CUSTOM_KEY_STORE_NAME_IN_USE after the first succeeded
  aws: true,
});
