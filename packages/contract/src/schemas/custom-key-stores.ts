// The pieces the custom key store operations share: the store id, name, token label, PIN and the list entry
// DescribeCustomKeyStores returns (AWS CustomKeyStoresListEntry). Must not import anything but TypeBox and names.ts.

import { type Static, Type } from '@sinclair/typebox';
import { CONNECTION_ERROR_CODES, CONNECTION_STATES, CUSTOM_KEY_STORE_TYPES } from '../names.js';
import { literalUnion } from './common.js';

/** A custom key store id: `cks-` and 17 lower-case hex characters, as AWS makes them. */
export const CustomKeyStoreId = Type.String({ pattern: '^cks-[0-9a-f]{17}$', minLength: 21, maxLength: 21 });

/** A custom key store's friendly name (AWS: 1..256 characters, unique). Shown in plaintext: no secrets. */
export const CustomKeyStoreName = Type.String({ minLength: 1, maxLength: 256, pattern: '^[\\x20-\\x7e]+$' });

/** CloudHsmClusterId: on Custos, the label of a PKCS#11 token (1..32 characters, as CK_TOKEN_INFO.label). */
export const CloudHsmClusterId = Type.String({ minLength: 1, maxLength: 32, pattern: '^[\\x20-\\x7e]+$' });

/** KeyStorePassword: the token's user PIN. Never returned, logged or audited; stored wrapped under the root key. */
export const KeyStorePassword = Type.String({ minLength: 1, maxLength: 128 });

export const CustomKeyStoreTypeSchema = literalUnion(CUSTOM_KEY_STORE_TYPES);
export const ConnectionStateSchema = literalUnion(CONNECTION_STATES);
export const ConnectionErrorCodeSchema = literalUnion(CONNECTION_ERROR_CODES);

/** One custom key store, as DescribeCustomKeyStores shows it (never its PIN). */
export const CustomKeyStoresListEntry = Type.Object({
  customKeyStoreId: Type.String(),
  customKeyStoreName: Type.String(),
  customKeyStoreType: CustomKeyStoreTypeSchema,
  cloudHsmClusterId: Type.String(),
  trustAnchorCertificate: Type.String(),
  connectionState: ConnectionStateSchema,
  /** Only when `connectionState` is FAILED. */
  connectionErrorCode: Type.Optional(ConnectionErrorCodeSchema),
  creationDate: Type.Date(),
});
export type CustomKeyStoresListEntry = Static<typeof CustomKeyStoresListEntry>;
