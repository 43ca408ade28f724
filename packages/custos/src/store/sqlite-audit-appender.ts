// The audit log's append path for the SQLite audit worker thread (service/audit/sqlite-audit-worker.ts): reads the
// head and inserts chained entries through two statements prepared once, instead of a query built per batch (the
// worker commits thousands of records a second), and raises encryption counts and adds usage counts in the same
// transaction. Must not import service or api: the caller chains the entries.
import { openSqliteDatabase } from './sqlite.js';
import type { SqliteDatabase } from './sqlite-driver.js';
import type { AuditCheckpointRecord } from './repositories/audit.js';
import type { ChainedAuditEntry } from './types.js';

/** Encryptions to reserve under one key version (service/counters.ts): its count goes up by `by`. */
export type CountReservation = readonly [keyId: string, version: number, by: number];

/** Uses to add to a key version's usage row (service/usage/recorder.ts): `count` more, the last at `lastUsedAt` (ms). */
export type UsageIncrement = readonly [
  keyId: string,
  version: number,
  operation: string,
  count: number,
  lastUsedAt: number,
];

/** What an append keeps beside the records, in the same transaction. */
interface AppendExtras {
  /** Signed heads (service/audit/checkpoints.ts), one per seq, as `audit.insertCheckpoint` keeps them. */
  readonly checkpoints?: readonly AuditCheckpointRecord[];
  /** Encryption counts to raise, as `keyVersions.incrementEncryptionCounts` raises them. */
  readonly reservations?: readonly CountReservation[];
  /** Usage counts to add, as `keyUsage.add` adds them. */
  readonly usage?: readonly UsageIncrement[];
}

export interface AuditAppender {
  /**
   * In one durable transaction (BEGIN IMMEDIATE): reads the chain's head (null for an empty log), inserts the
   * entries `chain` builds after it, in order, and keeps `extras` — so that a counter or usage flush costs no commit of
   * its own. Returns the seq the database gave the first entry (the others follow it one by one: one connection, one
   * transaction; 0 when there are none), for each reservation the version's new encryption count (undefined for a
   * version that is gone), and the error that kept the usage counts out, if one did: they are telemetry, written
   * under a savepoint, so that their failure fails neither the records nor the reservations.
   */
  append(
    chain: (head: string | null) => readonly ChainedAuditEntry[],
    extras?: AppendExtras,
  ): { readonly firstSeq: number; readonly tops: readonly (number | undefined)[]; readonly usageError?: unknown };
  close(): void;
}

/** The entry's fields in the order of the table's columns: one list for the statement and the values. */
const COLUMNS = [
  ['time', 'time'],
  ['principal', 'principal'],
  ['operation', 'operation'],
  ['key_id', 'keyId'],
  ['key_version', 'keyVersion'],
  ['outcome', 'outcome'],
  ['error_code', 'errorCode'],
  ['request_id', 'requestId'],
  ['details', 'details'],
  ['prev_hash', 'prevHash'],
  ['hash', 'hash'],
  ['chain', 'chain'],
] as const satisfies readonly (readonly [string, keyof ChainedAuditEntry])[];

/** How long an append waits for another connection's write lock before failing with SQLITE_BUSY (busy_timeout's). */
const LOCK_TIMEOUT_MS = 5000;
/** The first and the longest pause between two tries for the write lock, in milliseconds. */
const FIRST_PAUSE_MS = 0.05;
const LONGEST_PAUSE_MS = 1;

/**
 * Takes the write lock (BEGIN IMMEDIATE), retrying every 50 µs to 1 ms while another connection holds it: SQLite's
 * own busy handler sleeps 1, 2, 5, 10, ... ms between tries, so with two server processes (`--workers 2`) each
 * audit thread lost milliseconds per collision while the other's commit (one fsync) took a fraction of that, and the
 * replies waiting on it waited too. A pause blocks this thread only (the audit worker thread; see its caller).
 */
function beginImmediate(database: SqliteDatabase, begin: { run(): unknown }): void {
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  let pause = FIRST_PAUSE_MS;
  for (;;) {
    try {
      begin.run();
      return;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' || database.inTransaction || Date.now() > deadline)
        throw error;
    }
    Atomics.wait(PAUSE, 0, 0, pause);
    pause = Math.min(pause * 2, LONGEST_PAUSE_MS);
  }
}

const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/**
 * Opens an appender on the (migrated) SQLite store at `filename`; fails at once if the audit table is missing.
 * @example const appender = openSqliteAuditAppender(file); appender.append((head) => chainEntries(head, entries, key));
 */
export function openSqliteAuditAppender(filename: string): AuditAppender {
  const database = openSqliteDatabase(filename);
  try {
    // The lock is waited for by beginImmediate, not by SQLite's busy handler.
    database.pragma('busy_timeout = 0');
    const head = database.prepare<[], { hash: string }>('select hash from audit_log order by seq desc limit 1');
    // Positional parameters: binding by name costs ~1 µs more per row.
    const insert = database.prepare(
      `insert into audit_log (${COLUMNS.map(([column]) => column).join(', ')}) values (${COLUMNS.map(() => '?').join(', ')})`,
    );
    const begin = database.prepare('begin immediate');
    const commit = database.prepare('commit');
    const rollback = database.prepare('rollback');
    const checkpoint = database.prepare<[number, string, number, string]>(
      'insert into audit_checkpoints (seq, hash, time, signature) values (?, ?, ?, ?) on conflict (seq) do nothing',
    );
    const reserve = database.prepare<[number, string, number], { encryption_count: number | bigint }>(
      'update key_versions set encryption_count = encryption_count + ? where key_id = ? and version = ? returning encryption_count',
    );
    const addUsage = database.prepare<[string, number, string, number, number]>(
      'insert into key_usage (key_id, version, operation, count, last_used_at) values (?, ?, ?, ?, ?) ' +
        'on conflict (key_id, version, operation) do update set count = key_usage.count + excluded.count, ' +
        'last_used_at = max(key_usage.last_used_at, excluded.last_used_at)',
    );
    const savepoint = database.prepare('savepoint usage');
    const release = database.prepare('release usage');
    const rollbackUsage = database.prepare('rollback to usage');
    /** Adds the usage counts under a savepoint; the error that undid them, or undefined. */
    const keepUsage = (usage: readonly UsageIncrement[]): unknown => {
      if (usage.length === 0) return undefined;
      savepoint.run();
      try {
        for (const increment of usage) addUsage.run(...increment);
        release.run();
        return undefined;
      } catch (error) {
        // A failure that ended the whole transaction (SQLITE_FULL, I/O) is the records' failure too: thrown.
        if (!database.inTransaction) throw error;
        rollbackUsage.run();
        release.run();
        return error;
      }
    };
    const append: AuditAppender['append'] = (chain, extras = {}) => {
      const { checkpoints = [], reservations = [], usage = [] } = extras;
      beginImmediate(database, begin);
      try {
        let first = 0;
        for (const entry of chain(head.get()?.hash ?? null)) {
          const seq = Number(insert.run(COLUMNS.map(([, field]) => entry[field])).lastInsertRowid);
          first ||= seq;
        }
        for (const c of checkpoints) checkpoint.run(c.seq, c.hash, c.time, c.signature);
        const tops = reservations.map(([keyId, version, by]) => {
          const row = reserve.get(by, keyId, version);
          return row && Number(row.encryption_count);
        });
        const usageError = keepUsage(usage);
        commit.run();
        return { firstSeq: first, tops, usageError };
      } catch (error) {
        // SQLITE_FULL and the like roll back by themselves: a second rollback would hide the error.
        if (database.inTransaction) rollback.run();
        throw error;
      }
    };
    return {
      append,
      close: () => database.close(),
    };
  } catch (error) {
    database.close();
    throw error;
  }
}
