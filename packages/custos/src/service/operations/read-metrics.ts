// ReadMetrics (internal, behind GET /metrics): the figures only the store knows. Not on the Kms interface.
import type { KeyState } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import { defineInternalOperation } from '../define-operation.js';

export interface StoreMetrics {
  /** Keys in each state; states with no key are absent. */
  readonly keysByState: Partial<Record<KeyState, number>>;
}

export const readMetrics = defineInternalOperation(
  'ReadMetrics',
  // GET /metrics: the figures only the store knows (keys by state).
  { access: 'monitor', states: null },
  async (ctx, _input: Record<string, never>): Promise<StoreMetrics> => {
    return { keysByState: await repo.keys.countByState(ctx.store.db) };
  },
);
