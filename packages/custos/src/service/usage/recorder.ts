// Key usage telemetry (issue 19): every use of a key version is counted in memory per (key, version, operation) and
// flushed to key_usage in batches, so no request waits for it. Must not import api.
//
// What a crash can lose: the counts recorded since the last flush, at most one flush interval (default 1 s) of them;
// a graceful close (LocalKms.close, the server's SIGTERM) flushes. A failed flush keeps its counts for the next one.
// With the SQLite audit worker, a flush is no transaction of the event loop's: its counts go, a chunk at a time, into
// the worker's audit transactions (AuditSink.addUsage). Written on the event loop, a flush after a second of uses
// of keys drawn at random among many held the loop for tens of milliseconds (thousands of upserts into random pages,
// and the wait for the audit thread's write lock).
// maxUses is not counted here: key-loading.ts's countUse enforces it on the authenticated keys.use_count first.
import * as repo from '../../store/repositories/index.js';
import type { Store, UsageIncrement } from '../../store/index.js';
import type { KeyUsageRecord } from '../../store/repositories/key-usage.js';
import type { Logger } from '../context.js';

/** Rows per INSERT ... ON CONFLICT statement (5 bound values each: well inside SQLite's and PostgreSQL's limits). */
const ROWS_PER_STATEMENT = 500;
/**
 * Counts per message to the audit worker, each chunk sent when the last is in: the worker adds a chunk to the
 * transaction of the records that follow it (no commit of its own), so a flush adds at most this many upserts to a
 * transaction, and delays no audit commit by more than that.
 */
const SINK_CHUNK = 32;

/** Adds usage counts in the audit sink's transactions (AuditSink.addUsage). */
export type AddUsage = (usage: readonly UsageIncrement[]) => Promise<void>;

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The pending map's key of a key version's uses by one operation. */
const pendingKey = (keyId: string, version: number, operation: string): string =>
  `${keyId}\n${String(version)}\n${operation}`;

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

  /**
   * `intervalMs`: how often pending counts are flushed; 0 flushes only when asked (`flush`, `close`). `add`, when
   * given (the SQLite audit worker's `addUsage`), writes them instead of a transaction through `store`.
   */
  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
    intervalMs: number,
    private readonly add?: AddUsage,
  ) {
    if (intervalMs > 0) {
      this.#timer = setInterval(() => void this.flush(), intervalMs);
      this.#timer.unref();
    }
  }

  /** Counts one use (the hot path: a map update, no I/O). */
  record(keyId: string, version: number, operation: string, at: Date): void {
    const k = pendingKey(keyId, version, operation);
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
    const entries = [...batch.values()].sort(
      (a, b) => compare(a.keyId, b.keyId) || a.version - b.version || compare(a.operation, b.operation),
    );
    let written = 0;
    try {
      if (this.add) {
        for (; written < entries.length; written += SINK_CHUNK)
          await this.add(
            entries
              .slice(written, written + SINK_CHUNK)
              .map((p) => [p.keyId, p.version, p.operation, p.count, p.lastUsedAt] as const),
          );
      } else {
        const records = entries.map((p) => ({ ...p, lastUsedAt: new Date(p.lastUsedAt) }));
        await this.store.transaction(async (tx) => {
          for (let i = 0; i < records.length; i += ROWS_PER_STATEMENT)
            await repo.keyUsage.add(tx, records.slice(i, i + ROWS_PER_STATEMENT));
        });
      }
    } catch (err) {
      // What was not written is kept for the next flush (added to what came meanwhile): telemetry is late, not lost,
      // while the store is down.
      const unwritten = entries.slice(written);
      for (const p of unwritten) {
        const k = pendingKey(p.keyId, p.version, p.operation);
        const now = this.#pending.get(k);
        if (now) {
          now.count += p.count;
          now.lastUsedAt = Math.max(now.lastUsedAt, p.lastUsedAt);
        } else this.#pending.set(k, p);
      }
      this.logger.error({ err, entries: unwritten.length }, 'key usage flush failed; will retry');
    }
  }

  /** Stops the timer and flushes what is pending (call before closing the store). */
  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.flush();
  }
}
