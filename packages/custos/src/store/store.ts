// The Store handle the service holds: a Kysely database, its dialect, transactions and close.
// Must not import service or api.
import type { Kysely } from 'kysely';
import type { StoreDialect } from './dialect.js';
import type { Database } from './schema/index.js';

/** What every repository function takes first: the root database or a transaction. */
export type Db = Kysely<Database>;

/**
 * An open store. Repositories are plain functions taking `db: Db` first, so they run on
 * `store.db` or on the `tx` a transaction hands out.
 *
 * Inside `transaction(fn)`, call repositories with `tx`, never with `store.db`: SQLite runs on a
 * single connection that the transaction holds until it ends, so a query on `store.db` from
 * inside `fn` waits for that transaction, which waits for `fn`: a deadlock. On PostgreSQL such a
 * query runs outside the transaction on another pooled connection (not seeing its writes, and
 * deadlocking too once every connection of the pool is held by a waiting transaction).
 * @example
 * await store.transaction(async (tx) => {
 *   await keys.insert(tx, record);
 *   await audit.append(tx, entry);
 * });
 */
export interface Store {
  readonly db: Db;
  readonly dialect: StoreDialect;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Wraps a Kysely instance as a Store (shared by the SQLite and PostgreSQL openers). */
export function createStore(db: Db, dialect: StoreDialect): Store {
  let closed = false;
  return {
    db,
    dialect,
    transaction: (fn) => db.transaction().execute(fn),
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}
