// DescribeCustomKeyStores (AWS KMS): every custom key store (paged), or one by id or name, never its PIN.
// Must not import api.
import { describeCustomKeyStoresOperation, ValidationError } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';
import { keyStoreEntry, keyStoreNotFound } from '../hsm/key-store-records.js';
import { pageResponse } from '../paging.js';

export const describeCustomKeyStores = defineOperation(
  describeCustomKeyStoresOperation,
  { access: 'manage', states: null },
  async (ctx, input) => {
    const db = ctx.store.db;
    if (input.customKeyStoreId !== undefined && input.customKeyStoreName !== undefined)
      throw new ValidationError('give CustomKeyStoreId or CustomKeyStoreName, not both');
    const one =
      input.customKeyStoreId !== undefined
        ? { key: input.customKeyStoreId, store: await repo.customKeyStores.get(db, input.customKeyStoreId) }
        : input.customKeyStoreName !== undefined
          ? { key: input.customKeyStoreName, store: await repo.customKeyStores.getByName(db, input.customKeyStoreName) }
          : undefined;
    if (one) {
      if (!one.store) throw keyStoreNotFound(one.key);
      return { customKeyStores: [keyStoreEntry(ctx, one.store)], truncated: false };
    }
    const page = await repo.customKeyStores.list(db, {
      limit: input.limit ?? 100,
      ...(input.marker ? { after: input.marker } : {}),
    });
    return { customKeyStores: page.items.map((s) => keyStoreEntry(ctx, s)), ...pageResponse(page) };
  },
);
