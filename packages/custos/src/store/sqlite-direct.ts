// A read on the SQLite store's connection without Kysely, for the hot path's one cold read (a key and its latest
// version, repositories/keys.ts): Kysely's connection mutex, plugins and promises cost more than the indexed read.
// Must not import service or api.
import type { Db } from './store.js';
import type { SqliteDatabase } from './sqlite-driver.js';

type Statement = ReturnType<SqliteDatabase['prepare']>;

/** A row as better-sqlite3 gives it: column name → value. */
export type DirectRow = Record<string, unknown>;

/** A statement prepared to give rows as arrays (better-sqlite3's raw mode), and its column names. */
interface Prepared {
  readonly statement: Statement;
  readonly columns: readonly string[];
}

const DATABASES = new WeakMap<Db, SqliteDatabase>();
const STATEMENTS = new WeakMap<SqliteDatabase, Map<string, Prepared>>();

/** Lets `directRead` read through `db` (a store's root handle, never a transaction's): sqlite.ts calls it. */
export function allowDirectReads(db: Db, database: SqliteDatabase): void {
  DATABASES.set(db, database);
}

/**
 * The first row `sql` (prepared once per connection) gives for `parameters`, read at once; `undefined` when there is
 * no row; `null` when `db` cannot be read directly: not a SQLite store's root handle, or its connection is inside a
 * transaction (SQLite's one connection: a read now would see that transaction's uncommitted writes), and the caller
 * goes through Kysely, which waits for the transaction to end.
 */
export function directRead(db: Db, sql: string, parameters: readonly unknown[]): DirectRow | undefined | null {
  const database = DATABASES.get(db);
  if (database === undefined || !database.open || database.inTransaction) return null;
  let statements = STATEMENTS.get(database);
  if (statements === undefined) STATEMENTS.set(database, (statements = new Map<string, Prepared>()));
  let prepared = statements.get(sql);
  if (prepared === undefined) {
    const statement = database.prepare(sql).raw(true);
    statements.set(sql, (prepared = { statement, columns: statement.columns().map((column) => column.name) }));
  }
  // An array, made into the row here: better-sqlite3 builds a row object a property at a time in C++ (a key and its
  // version, 45 columns, read at random among 100,000 keys: 24 µs as its object, 19 µs as an array made into one).
  const values = prepared.statement.get(parameters) as unknown[] | undefined;
  if (values === undefined) return undefined;
  const row: DirectRow = {};
  let i = 0;
  for (const column of prepared.columns) row[column] = values[i++];
  return row;
}
