// DisconnectCustomKeyStore (AWS KMS): records DISCONNECTED and closes this node's token (other nodes close theirs
// when they next need the store). Its keys cannot be used until it is connected again. Must not import api.
import { disconnectCustomKeyStoreOperation } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';
import { keyStoreNotFound } from '../hsm/key-store-records.js';

export const disconnectCustomKeyStore = defineOperation(
  disconnectCustomKeyStoreOperation,
  { access: 'manage', states: null },
  async (ctx, input) => {
    const id = input.customKeyStoreId;
    ctx.audit.details = { customKeyStoreId: id };
    await ctx.transaction(async (tx) => {
      const result = await repo.customKeyStores.update(tx, id, (s) => s.connectionState !== 'DISCONNECTED', {
        connectionState: 'DISCONNECTED',
        connectionErrorCode: null,
      });
      if (!result) throw keyStoreNotFound(id);
    });
    await ctx.keyStores.disconnect(id);
    return {};
  },
);
