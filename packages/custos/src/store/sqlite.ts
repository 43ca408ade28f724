// Opens the embedded SQLite store (better-sqlite3): durable pragmas, owner-only file mode, migrations.
// Must not import service or api.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CompiledQuery, Kysely, SqliteDialect, type DatabaseConnection, type Driver } from 'kysely';
import { acquireDataDirLock, joinDataDirLock } from './data-dir-lock.js';
import { migrateToLatest } from './migrations/index.js';
import { ensurePrivateFile } from './private-file.js';
import { sqliteCluster } from './sqlite-cluster.js';
import { DEFAULT_KEY_CHANGE_POLL_MS } from './sqlite-key-changes.js';
import { sqliteDriver, type SqliteDatabase } from './sqlite-driver.js';
import { allowDirectReads } from './sqlite-direct.js';
import type { Database } from './schema/index.js';
import { createStore, type Store } from './store.js';

export interface SqliteStoreOptions {
  /**
   * Whether to apply pending migrations on open; default true. With false the caller runs
   * `migrateToLatest(store.db, 'sqlite')` itself (LocalKms checks the root key binding first).
   */
  readonly migrate?: boolean;
  /**
   * Take the store's lock (data-dir-lock.ts) before opening it, released by `close`: a store another process (or
   * another locked open in this one) holds is refused with UNAVAILABLE naming the holder. LocalKms sets it; default
   * false (tools and tests that look at a store beside its owner). `{ join }`: a worker of the server whose primary
   * holds the lock with that holder id (`custos server --workers N`) joins it instead (data-dir-lock.ts).
   */
  readonly lock?: boolean | { readonly join: string };
  /**
   * How often the key caches' change feed is read (sqlite-key-changes.ts), in ms: how long a change made by another
   * process (a worker, a tool, an operator) can go unseen by this one's key cache. Default 100.
   */
  readonly keyChangePollMs?: number;
}

/**
 * Opens (creating if needed) the SQLite store at `filename` and, unless `options.migrate` is false,
 * migrates it to the latest schema.
 * The directory is created (mode 0700) if missing and the file is made mode 0600; SQLite gives
 * its -wal and -shm files the same mode. `':memory:'` opens a throwaway in-memory store.
 *
 * Pragmas: WAL (readers do not block the writer), synchronous=FULL (an acknowledged write
 * survives power loss, as DESIGN.md requires), foreign_keys=ON, busy_timeout=5000 ms.
 * @example const store = await openSqliteStore('/var/lib/custos/custos.db');
 */
export async function openSqliteStore(filename: string, options: SqliteStoreOptions = {}): Promise<Store> {
  const inMemory = filename === ':memory:';
  const lock =
    !options.lock || inMemory
      ? undefined
      : options.lock === true
        ? acquireDataDirLock(filename)
        : joinDataDirLock(filename, options.lock.join);
  let store: Store;
  try {
    const database = openSqliteDatabase(filename);
    const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect(database) });
    try {
      if (options.migrate !== false) await migrateToLatest(db, 'sqlite');
    } catch (err) {
      await db.destroy();
      throw err;
    }
    const feed = { database, pollMs: options.keyChangePollMs ?? DEFAULT_KEY_CHANGE_POLL_MS };
    store = inMemory ? createStore(db, 'sqlite') : createStore(db, 'sqlite', sqliteCluster(filename, feed));
    allowDirectReads(store.db, database);
  } catch (err) {
    lock?.release();
    throw err;
  }
  if (!lock) return store;
  // Released once the database is closed (its WAL checkpointed), not before: the next holder finds it at rest.
  return {
    ...store,
    async close() {
      try {
        await store.close();
      } finally {
        lock.release();
      }
    },
  };
}

/** Opens (creating if needed) the database file with the pragmas and file modes described at openSqliteStore. */
export function openSqliteDatabase(filename: string): SqliteDatabase {
  const inMemory = filename === ':memory:';
  if (!inMemory) {
    const path = resolve(filename);
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    ensurePrivateFile(path);
  }
  const Database = sqliteDriver();
  const database = new Database(filename);
  try {
    if (!inMemory) database.pragma('journal_mode = WAL');
    database.pragma('synchronous = FULL');
    database.pragma('foreign_keys = ON');
    database.pragma('busy_timeout = 5000');
  } catch (err) {
    database.close();
    throw err;
  }
  return database;
}

/**
 * Transactions take the write lock at BEGIN (BEGIN IMMEDIATE), so they wait out another connection's write
 * (busy_timeout) instead of failing with SQLITE_BUSY when a read-then-write transaction finds its snapshot
 * overtaken — the audit worker thread writes on a second connection (service/audit/worker-sink.ts).
 *
 * ROLLBACK only when a transaction is still open: on SQLITE_FULL (disk full), SQLITE_IOERR, SQLITE_NOMEM and some
 * SQLITE_BUSY, SQLite rolls the transaction back by itself (https://www.sqlite.org/lang_transaction.html, "Response
 * To Errors Within A Transaction"), and Kysely's unconditional ROLLBACK then fails with "cannot rollback - no
 * transaction is active" — an error that replaced the real one, so a full disk surfaced as INTERNAL with its cause
 * lost instead of as UNAVAILABLE.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  readonly #database: SqliteDatabase;

  constructor(database: SqliteDatabase) {
    super({ database: withStatementCache(database) });
    this.#database = database;
  }

  override createDriver(): Driver {
    const driver = super.createDriver();
    const database = this.#database;
    driver.beginTransaction = async (connection: DatabaseConnection): Promise<void> => {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    };
    driver.rollbackTransaction = async (connection: DatabaseConnection): Promise<void> => {
      if (database.inTransaction) await connection.executeQuery(CompiledQuery.raw('rollback'));
    };
    return driver;
  }
}

/** Prepared statements kept per connection: the hot path's statements, a few dozen kinds, never prepared twice. */
const STATEMENT_CACHE = 512;

/**
 * The database as Kysely's driver sees it, with `prepare` answered from a cache of prepared statements by SQL text:
 * preparing costs more than running a primary-key read (a cold key's load, issue 17). Safe because the driver only
 * runs a statement to completion (`all` or `run`, never an iterator left open) on the one connection, and SQLite
 * re-prepares a statement by itself when the schema changes (migrations).
 */
function withStatementCache(database: SqliteDatabase): SqliteDatabase {
  const cache = new Map<string, ReturnType<SqliteDatabase['prepare']>>();
  const prepare = (sql: string) => {
    let statement = cache.get(sql);
    if (statement === undefined) {
      statement = database.prepare(sql);
      cache.set(sql, statement);
      const oldest = cache.keys().next();
      if (cache.size > STATEMENT_CACHE && !oldest.done) cache.delete(oldest.value);
    }
    return statement;
  };
  return new Proxy(database, {
    get(target, property) {
      if (property === 'prepare') return prepare;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
