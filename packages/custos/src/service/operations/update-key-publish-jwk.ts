// UpdateKeyPublishJwk: whether /.well-known/jwks.json (no token) shows the key; the flag is row-MAC'd.
import { updateKeyPublishJwkOperation } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';
import { loadKey } from '../key-loading.js';
import { LIVE } from '../lifecycle.js';

export const updateKeyPublishJwk = defineOperation(
  updateKeyPublishJwkOperation,
  { access: 'manage', states: LIVE },
  async (ctx, input) => {
    ctx.audit.details = { publishJwk: input.publishJwk };
    await ctx.transaction(async (tx) => {
      const key = await loadKey(ctx, tx, input.keyId);
      await repo.keys.update(tx, key.id, { publishJwk: input.publishJwk, updatedAt: ctx.now() });
    });
    return {};
  },
);
