// ConnectCustomKeyStore (AWS KMS): opens the store's token on this node and records CONNECTED; a refused PIN or a
// missing token records FAILED with its ConnectionErrorCode (the call itself succeeds, as AWS's does).
// Must not import api.
import { connectCustomKeyStoreOperation, InvalidStateError } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';
import { loadKeyStore } from '../hsm/key-store-records.js';

export const connectCustomKeyStore = defineOperation(
  connectCustomKeyStoreOperation,
  { access: 'manage', states: null },
  async (ctx, input) => {
    const id = input.customKeyStoreId;
    const store = await loadKeyStore(ctx.store.db, id);
    if (store.connectionState === 'FAILED')
      throw new InvalidStateError(
        `custom key store ${id} is FAILED: disconnect it (and fix its PIN or token label) before connecting again`,
        'CUSTOM_KEY_STORE_INVALID_STATE',
      );
    const outcome = await ctx.keyStores.connect(store, ctx.rootOfTrust, () =>
      repo.customKeyStores.get(ctx.store.db, id),
    );
    const state = outcome.connected ? 'CONNECTED' : 'FAILED';
    const errorCode = outcome.connected ? null : outcome.errorCode;
    ctx.audit.details = {
      customKeyStoreId: id,
      connectionState: state,
      ...(errorCode ? { connectionErrorCode: errorCode } : {}),
    };
    if (store.connectionState === state) return {};
    try {
      await ctx.transaction(async (tx) => {
        const result = await repo.customKeyStores.update(tx, id, (s) => s.connectionState !== 'FAILED', {
          connectionState: state,
          connectionErrorCode: errorCode,
        });
        if (!result)
          throw new InvalidStateError(`custom key store ${id} was deleted meanwhile`, 'CUSTOM_KEY_STORE_INVALID_STATE');
        if (!result.updated)
          throw new InvalidStateError(`custom key store ${id} failed meanwhile`, 'CUSTOM_KEY_STORE_INVALID_STATE');
      });
    } catch (err) {
      await ctx.keyStores.disconnect(id); // the row does not say CONNECTED: neither does this node
      throw err;
    }
    return {};
  },
);
