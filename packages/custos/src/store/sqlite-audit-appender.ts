// The audit log's append path for the SQLite audit worker thread (service/audit/sqlite-audit-worker.ts): the same
// hash-chained rows as repositories/audit.ts's appendBatch, through two statements prepared once instead of a
// query built per batch (the worker commits thousands of records a second). Must not import service or api.
import { chainedRow, GENESIS_HASH } from './repositories/audit.js';
import { openSqliteDatabase } from './sqlite.js';
import type { AuditEntry } from './types.js';

export interface AuditAppender {
  /** Appends the entries, in order, after the chain's head, as one durable transaction (BEGIN IMMEDIATE). */
  append(entries: readonly AuditEntry[]): void;
  close(): void;
}

/** The row's fields in the order they are bound: one list for the statement and the values. */
const COLUMNS = [
  'time',
  'principal',
  'operation',
  'key_id',
  'key_version',
  'outcome',
  'error_code',
  'request_id',
  'details',
  'prev_hash',
  'hash',
] as const satisfies readonly (keyof ReturnType<typeof chainedRow>)[];

/**
 * Opens an appender on the (migrated) SQLite store at `filename`; fails at once if the audit table is missing.
 * @example const appender = openSqliteAuditAppender(join(dataDir, 'custos.db')); appender.append(entries);
 */
export function openSqliteAuditAppender(filename: string): AuditAppender {
  const database = openSqliteDatabase(filename);
  try {
    const head = database.prepare<[], { hash: string }>('select hash from audit_log order by seq desc limit 1');
    // Positional parameters: binding by name costs ~1 µs more per row.
    const insert = database.prepare(
      `insert into audit_log (${COLUMNS.join(', ')}) values (${COLUMNS.map(() => '?').join(', ')})`,
    );
    const append = database.transaction((entries: readonly AuditEntry[]) => {
      let prevHash = head.get()?.hash ?? GENESIS_HASH;
      for (const entry of entries) {
        const row = chainedRow(prevHash, entry);
        insert.run(COLUMNS.map((column) => row[column]));
        prevHash = row.hash;
      }
    });
    return { append: (entries) => append.immediate(entries), close: () => database.close() };
  } catch (error) {
    database.close();
    throw error;
  }
}
