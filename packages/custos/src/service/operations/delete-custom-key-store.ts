// DeleteCustomKeyStore (AWS KMS): removes a DISCONNECTED store that holds no keys; the token and its objects are left
// as they are. Must not import api.
import { deleteCustomKeyStoreOperation, InvalidStateError } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';
import { keyStoreNotFound } from '../hsm/key-store-records.js';

export const deleteCustomKeyStore = defineOperation(
  deleteCustomKeyStoreOperation,
  { access: 'manage', states: null },
  async (ctx, input) => {
    const id = input.customKeyStoreId;
    ctx.audit.details = { customKeyStoreId: id };
    await ctx.transaction(async (tx) => {
      const result = await repo.customKeyStores.remove(tx, id, (s) => s.connectionState === 'DISCONNECTED');
      if (!result) throw keyStoreNotFound(id);
      if (!result.deleted)
        throw new InvalidStateError(
          `custom key store ${id} is ${result.record.connectionState}: disconnect it before deleting it`,
          'CUSTOM_KEY_STORE_INVALID_STATE',
        );
      // In the same transaction: a refusal rolls the delete back.
      if (await repo.keyVersions.anyInKeyStore(tx, id))
        throw new InvalidStateError(
          `custom key store ${id} holds keys: schedule their deletion and wait for it first`,
          'CUSTOM_KEY_STORE_HAS_KEYS',
        );
    });
    await ctx.keyStores.disconnect(id);
    return {};
  },
);
