// UpdateCustomKeyStore (AWS KMS): a DISCONNECTED store's name, PIN (stored wrapped, bound to the store's id) or
// token label. Must not import api.
import { InvalidStateError, updateCustomKeyStoreOperation, ValidationError } from '@custos/contract';
import { SecretBytes } from '../../core/secret-bytes.js';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';
import { keyStoreNotFound } from '../hsm/key-store-records.js';
import { keyStorePinAad } from '../hsm/key-stores.js';

export const updateCustomKeyStore = defineOperation(
  updateCustomKeyStoreOperation,
  { access: 'manage', states: null },
  async (ctx, input) => {
    const id = input.customKeyStoreId;
    const { newCustomKeyStoreName: name, keyStorePassword: pin, cloudHsmClusterId: tokenLabel } = input;
    if (name === undefined && pin === undefined && tokenLabel === undefined)
      throw new ValidationError('give NewCustomKeyStoreName, KeyStorePassword or CloudHsmClusterId');
    let wrappedPin: Uint8Array | undefined;
    if (pin !== undefined) {
      const secret = SecretBytes.from(new TextEncoder().encode(pin));
      try {
        wrappedPin = await ctx.rootOfTrust.wrap(secret, keyStorePinAad(id));
      } finally {
        secret.wipe();
      }
    }
    ctx.audit.details = {
      customKeyStoreId: id,
      ...(name !== undefined ? { customKeyStoreName: name } : {}),
      ...(tokenLabel !== undefined ? { cloudHsmClusterId: tokenLabel } : {}),
      keyStorePasswordChanged: pin !== undefined,
    };
    await ctx.transaction(async (tx) => {
      const result = await repo.customKeyStores.update(tx, id, (s) => s.connectionState === 'DISCONNECTED', {
        ...(name !== undefined ? { name } : {}),
        ...(tokenLabel !== undefined ? { tokenLabel } : {}),
        ...(wrappedPin !== undefined ? { wrappedPin } : {}),
      });
      if (!result) throw keyStoreNotFound(id);
      if (!result.updated)
        throw new InvalidStateError(
          `custom key store ${id} is ${result.record.connectionState}: disconnect it before updating it`,
          'CUSTOM_KEY_STORE_INVALID_STATE',
        );
    });
    return {};
  },
);
