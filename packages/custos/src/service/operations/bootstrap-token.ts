// BootstrapToken (internal, the server's first start): an admin token when the store has none.
// Must not import api.
import type { CreateTokenResponse } from '@custos/contract';
import { lockInTransaction } from '../../store/index.js';
import * as repo from '../../store/repositories/index.js';
import { defineInternalOperation } from '../define-operation.js';
import { auditToken, insertToken } from './create-token.js';

/** Input of the internal BootstrapToken operation (not on the Kms interface; called by the server at start). */
export interface BootstrapTokenInput {
  /** Stores the new token (the server writes `<dataDir>/admin.token`); if it throws, the token is not created. */
  readonly persist: (created: CreateTokenResponse) => Promise<void>;
}

/**
 * On a store with no token at all, creates an admin token (principal `admin`) and hands it to `persist` inside
 * the same transaction, so a token exists in the store only if it was also saved. Returns undefined otherwise.
 */
export const bootstrapToken = defineInternalOperation(
  'BootstrapToken',
  { access: 'tokens', states: null },
  async (ctx, input: BootstrapTokenInput): Promise<CreateTokenResponse | undefined> => {
    const created = await ctx.transaction(async (tx) => {
      // Nodes starting together on one PostgreSQL database: one creates the token, the others then see it.
      await lockInTransaction(tx, 'bootstrap-token');
      if ((await repo.tokens.count(tx)) > 0) return undefined;
      const created = await insertToken(ctx, tx, {
        roles: ['admin'],
        principal: 'admin',
        description: 'created at first start',
      });
      await input.persist(created);
      return auditToken(ctx, created);
    });
    return created;
  },
);
