// Telling the other nodes (PostgreSQL) that a key changed, after the change has committed. Must not import api.
import type { ServiceContext } from './context.js';

/** Tells the other nodes a key changed (null: any key); a failure is logged, never the caller's (their cache TTL still bounds staleness). */
export async function publishKeyChange(ctx: ServiceContext, keyId: string | null): Promise<void> {
  await ctx.store.publishKeyChange(keyId).catch((err: unknown) => {
    ctx.logger.error({ err, keyId }, 'key change notification failed');
  });
}
