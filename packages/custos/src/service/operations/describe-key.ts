// DescribeKey: a key's metadata, in any state.
import { describeKeyOperation } from '@custos/contract';
import { defineOperation } from '../define-operation.js';
import { keyStoreFields } from '../hsm/key-store-records.js';
import { loadKey } from '../key-loading.js';
import { keyMetadata } from '../key-metadata.js';
import { ANY } from '../lifecycle.js';
import { checkGrantTokens } from '../grants/grant-token.js';
import { lastUsedAt } from '../usage/key-usage.js';

export const describeKey = defineOperation(
  describeKeyOperation,
  { access: 'read', states: ANY },
  async (ctx, input) => {
    checkGrantTokens(ctx, input.grantTokens);
    const key = await loadKey(ctx, ctx.store.db, input.keyId);
    const last = await lastUsedAt(ctx, ctx.store.db, key.id);
    return {
      keyMetadata: {
        ...keyMetadata(ctx, key),
        ...(await keyStoreFields(ctx.store.db, key)),
        ...(last ? { lastUsedAt: last } : {}),
      },
    };
  },
);
