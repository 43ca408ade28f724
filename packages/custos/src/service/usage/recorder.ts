// Key usage telemetry (issue 19): every use of a key version is counted in memory per (key, version, operation) and
// flushed to key_usage in batches, so no request waits for it. Must not import api.
//
// What a crash can lose: the counts recorded since the last flush, at most one flush interval (default 1 s) of them;
// a graceful close (LocalKms.close, the server's SIGTERM) flushes. A failed flush keeps its counts for the next one.
// maxUses is not counted here: key-loading.ts's countUse enforces it on the authenticated keys.use_count first.
import * as repo from '../../store/repositories/index.js';
import type { Store } from '../../store/index.js';
import type { KeyUsageRecord } from '../../store/repositories/key-usage.js';
import type { Logger } from '../context.js';

/** Rows per INSERT ... ON CONFLICT statement (5 bound values each: well inside SQLite's and PostgreSQL's limits). */
const ROWS_PER_STATEMENT = 500;

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

interface Pending {
  readonly keyId: string;
  readonly version: number;
  readonly operation: string;
  count: number;
  lastUsedAt: number;
}

export class UsageRecorder {
  #pending = new Map<string, Pending>();
  #flushing: Promise<void> | undefined;
  readonly #timer: NodeJS.Timeout | undefined;

  /** `intervalMs`: how often pending counts are flushed; 0 flushes only when asked (`flush`, `close`). */
  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
    intervalMs: number,
  ) {
    if (intervalMs > 0) {
      this.#timer = setInterval(() => void this.flush(), intervalMs);
      this.#timer.unref();
    }
  }

  /** Counts one use (the hot path: a map update, no I/O). */
  record(keyId: string, version: number, operation: string, at: Date): void {
    const k = `${keyId}\n${String(version)}\n${operation}`;
    const entry = this.#pending.get(k);
    const t = at.getTime();
    if (entry) {
      entry.count++;
      if (t > entry.lastUsedAt) entry.lastUsedAt = t;
    } else this.#pending.set(k, { keyId, version, operation, count: 1, lastUsedAt: t });
  }

  /** This process's counts of the key not yet flushed (added to the store's by readers, so a caller sees its own uses). */
  pendingFor(keyId: string): KeyUsageRecord[] {
    const out: KeyUsageRecord[] = [];
    for (const p of this.#pending.values())
      if (p.keyId === keyId) out.push({ ...p, lastUsedAt: new Date(p.lastUsedAt) });
    return out;
  }

  /** Writes the pending counts (one batch; concurrent calls wait for the one under way, then write what came since). */
  async flush(): Promise<void> {
    while (this.#flushing) await this.#flushing;
    if (this.#pending.size === 0) return;
    const batch = this.#pending;
    this.#pending = new Map();
    this.#flushing = this.#write(batch).finally(() => {
      this.#flushing = undefined;
    });
    await this.#flushing;
  }

  async #write(batch: Map<string, Pending>): Promise<void> {
    // One order for every process (key, version, operation), so two nodes' upserts of the same rows lock them in the
    // same order and cannot deadlock each other on PostgreSQL.
    const entries = [...batch.values()]
      .sort((a, b) => compare(a.keyId, b.keyId) || a.version - b.version || compare(a.operation, b.operation))
      .map((p) => ({ ...p, lastUsedAt: new Date(p.lastUsedAt) }));
    try {
      await this.store.transaction(async (tx) => {
        for (let i = 0; i < entries.length; i += ROWS_PER_STATEMENT)
          await repo.keyUsage.add(tx, entries.slice(i, i + ROWS_PER_STATEMENT));
      });
    } catch (err) {
      // Kept for the next flush (added to what came meanwhile): telemetry is late, not lost, while the store is down.
      for (const [k, p] of batch) {
        const now = this.#pending.get(k);
        if (now) {
          now.count += p.count;
          now.lastUsedAt = Math.max(now.lastUsedAt, p.lastUsedAt);
        } else this.#pending.set(k, p);
      }
      this.logger.error({ err, entries: entries.length }, 'key usage flush failed; will retry');
    }
  }

  /** Stops the timer and flushes what is pending (call before closing the store). */
  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.flush();
  }
}
