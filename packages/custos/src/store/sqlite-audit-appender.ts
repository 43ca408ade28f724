// The audit log's append path for the SQLite audit worker thread (service/audit/sqlite-audit-worker.ts): reads the
// head and inserts chained entries through two statements prepared once, instead of a query built per batch (the
// worker commits thousands of records a second). Must not import service or api: the caller chains the entries.
import { openSqliteDatabase } from './sqlite.js';
import type { AuditCheckpointRecord } from './repositories/audit.js';
import type { ChainedAuditEntry } from './types.js';

export interface AuditAppender {
  /**
   * In one durable transaction (BEGIN IMMEDIATE): reads the chain's head (null for an empty log), inserts the
   * entries `chain` builds after it, in order. Returns the seq the database gave the first one (the others follow it
   * one by one: one connection, one transaction). `checkpoints` (signed heads, service/audit/checkpoints.ts) are kept
   * in the same transaction, one per seq as `audit.insertCheckpoint` keeps them.
   */
  append(
    chain: (head: string | null) => readonly ChainedAuditEntry[],
    checkpoints?: readonly AuditCheckpointRecord[],
  ): number;
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

/**
 * Opens an appender on the (migrated) SQLite store at `filename`; fails at once if the audit table is missing.
 * @example const appender = openSqliteAuditAppender(file); appender.append((head) => chainEntries(head, entries, key));
 */
export function openSqliteAuditAppender(filename: string): AuditAppender {
  const database = openSqliteDatabase(filename);
  try {
    const head = database.prepare<[], { hash: string }>('select hash from audit_log order by seq desc limit 1');
    // Positional parameters: binding by name costs ~1 µs more per row.
    const insert = database.prepare(
      `insert into audit_log (${COLUMNS.map(([column]) => column).join(', ')}) values (${COLUMNS.map(() => '?').join(', ')})`,
    );
    const checkpoint = database.prepare<[number, string, number, string]>(
      'insert into audit_checkpoints (seq, hash, time, signature) values (?, ?, ?, ?) on conflict (seq) do nothing',
    );
    const append = database.transaction(
      (chain: (head: string | null) => readonly ChainedAuditEntry[], checkpoints: readonly AuditCheckpointRecord[]) => {
        let first = 0;
        for (const entry of chain(head.get()?.hash ?? null)) {
          const seq = Number(insert.run(COLUMNS.map(([, field]) => entry[field])).lastInsertRowid);
          first ||= seq;
        }
        for (const c of checkpoints) checkpoint.run(c.seq, c.hash, c.time, c.signature);
        return first;
      },
    );
    return {
      append: (chain, checkpoints = []) => append.immediate(chain, checkpoints),
      close: () => database.close(),
    };
  } catch (error) {
    database.close();
    throw error;
  }
}
