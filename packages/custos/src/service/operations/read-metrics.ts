// ReadMetrics (internal, behind GET /metrics): the figures only the store knows. Not on the Kms interface.
import type { KeyState } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import type { OpContext } from '../context.js';

export interface StoreMetrics {
  /** Keys in each state; states with no key are absent. */
  readonly keysByState: Partial<Record<KeyState, number>>;
}

export async function readMetrics(ctx: OpContext, _input: Record<string, never>): Promise<StoreMetrics> {
  return { keysByState: await repo.keys.countByState(ctx.store.db) };
}
