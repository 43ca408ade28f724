// The SQLite store's change feed for the key caches (issue 17, keys at scale): migration 019's triggers add a row to
// `key_changes` in the same transaction as every change to what a cache holds, whoever makes it (this process, another
// worker, a process that crashed before telling anyone, an operator's SQL); every process polls the table on its own
// connection and drops what changed. So a cache entry needs no expiry to stay coherent: it lives until its key
// changes or the memory budget evicts it, and a change reaches every process within one poll interval.
// Must not import service or api.
import type { SqliteDatabase } from './sqlite-driver.js';

/** How often each process reads the feed by default: the bound on how stale a cached key can be across workers. */
export const DEFAULT_KEY_CHANGE_POLL_MS = 100;

/** Rows read per poll; more pending (a root rotation rewraps every version) and the whole cache is dropped instead. */
const BATCH = 10_000;

/**
 * Polls `key_changes` every `pollMs` on `database` (the store's own connection, read between its transactions) and
 * calls `emit` with each changed key id once per poll, or with null when every key may have changed: when it starts
 * (so nothing read before its first position can stay), when rows it had not read were pruned (the seq jumped),
 * when more than a batch is pending, and when a read fails (the table missing in a store left unmigrated). Returns
 * `poll` (one poll now, as the timer does) and `stop`.
 */
export function pollKeyChanges(
  database: SqliteDatabase,
  pollMs: number,
  emit: (keyId: string | null) => void,
): { readonly poll: () => void; readonly stop: () => void } {
  let last: number | undefined;
  let statements: Statements | undefined;
  const top = (prepared: Statements): number => {
    const row = prepared.top.get() as [number] | undefined;
    return row ? row[0] : 0;
  };
  const poll = (): void => {
    // Between the store's transactions only: one connection, and a read inside one would see its uncommitted rows.
    if (!database.open || database.inTransaction) return;
    try {
      statements ??= {
        since: database
          .prepare<[number, number]>('select seq, key_id from key_changes where seq > ? order by seq limit ?')
          .raw(true),
        // AUTOINCREMENT's high-water mark: what the last committed change got, even once pruned.
        top: database.prepare<[]>("select seq from sqlite_sequence where name = 'key_changes'").raw(true),
      };
      if (last === undefined) {
        last = top(statements);
        emit(null);
        return;
      }
      const rows = statements.since.all(last, BATCH + 1) as [number, string][]; // numbers: the store reads no BigInts
      const first = rows[0];
      if (!first) return;
      if (first[0] !== last + 1 || rows.length > BATCH) {
        last = rows.length > BATCH ? top(statements) : (rows[rows.length - 1]?.[0] ?? last);
        emit(null);
        return;
      }
      const changed = new Set<string>();
      for (const [seq, keyId] of rows) {
        changed.add(keyId);
        last = seq;
      }
      for (const keyId of changed) emit(keyId);
    } catch {
      statements = undefined;
      last = undefined; // start again from the top, dropping everything then
      emit(null);
    }
  };
  poll();
  const timer = setInterval(poll, pollMs);
  timer.unref();
  return {
    poll,
    stop: () => {
      clearInterval(timer);
    },
  };
}

interface Statements {
  readonly since: { all(seq: number, limit: number): unknown[] };
  readonly top: { get(): unknown };
}
