// Reading usage telemetry: the store's flushed counts plus this process's pending ones (usage/recorder.ts), so a
// caller sees its own uses at once and other processes' within their flush interval. Must not import api.
import * as repo from '../../store/repositories/index.js';
import type { Db } from '../../store/index.js';
import type { KeyUsageRecord } from '../../store/repositories/key-usage.js';
import type { ServiceContext } from '../context.js';

/** The key's usage per version and operation, by version then operation. */
export async function keyUsage(ctx: ServiceContext, db: Db, keyId: string): Promise<KeyUsageRecord[]> {
  const merged = new Map<string, KeyUsageRecord>();
  for (const r of [...(await repo.keyUsage.forKey(db, keyId)), ...ctx.usage.pendingFor(keyId)]) {
    const k = `${String(r.version)}\n${r.operation}`;
    const seen = merged.get(k);
    merged.set(
      k,
      seen
        ? {
            ...r,
            count: seen.count + r.count,
            lastUsedAt: r.lastUsedAt > seen.lastUsedAt ? r.lastUsedAt : seen.lastUsedAt,
          }
        : r,
    );
  }
  return [...merged.values()].sort((a, b) => a.version - b.version || a.operation.localeCompare(b.operation));
}

/** When the key was last used (any version and operation), or null when never. */
export async function lastUsedAt(ctx: ServiceContext, db: Db, keyId: string): Promise<Date | null> {
  let last = await repo.keyUsage.lastUsedAt(db, keyId);
  for (const p of ctx.usage.pendingFor(keyId)) if (last === null || p.lastUsedAt > last) last = p.lastUsedAt;
  return last;
}
