// The Store handle the service holds: a Kysely database, its dialect, transactions and close.
// Must not import service or api.
import type { Kysely } from 'kysely';
import type { StoreDialect } from './dialect.js';
import { RowIntegrity } from './integrity.js';
import type { Database } from './schema/index.js';

/** What every repository function takes first: the root database or a transaction. */
export type Db = Kysely<Database>;

/**
 * What publishKeyChange sends when bearer tokens or access keys changed (not a key id: key ids are UUIDs). The
 * credential caches drop everything on it; the key cache ignores it, so that creating or revoking a token does not
 * throw away a whole resident key cache on every node.
 */
export const CREDENTIALS_CHANGED = '*credentials';

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
 *   await keyVersions.insert(tx, version);
 * });
 */
export interface Store {
  readonly db: Db;
  readonly dialect: StoreDialect;
  /** The row MACs' key holder: the service installs the root-derived key before any authenticated row is used. */
  readonly integrity: RowIntegrity;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /**
   * Tells the other nodes sharing the database that a key changed (`null`: any key may have; CREDENTIALS_CHANGED:
   * tokens or access keys did), so they drop it from their caches. Call after the change is committed. PostgreSQL:
   * NOTIFY; SQLite: relayed to the server's other workers (node:cluster IPC); an in-memory store: nothing. Sooner
   * than the change feed, which does not depend on it.
   */
  publishKeyChange(keyId: string | null): Promise<void>;
  /**
   * Calls `listener` with the id of every key whose cached rows (keys, key_versions, grants, aliases) changed, by
   * any writer, and with `null` when every key may have changed. The change feed of migration 019: on PostgreSQL
   * the triggers' NOTIFY, sent at commit (`null` on each (re)connection of the listening connection, which may
   * have missed some); on SQLite the `key_changes` table, polled (sqlite-key-changes.ts); plus what
   * publishKeyChange sends. An in-memory store (one connection, one process) never calls. Returns the unsubscribe
   * function.
   */
  onKeyChange(listener: (keyId: string | null) => void): () => void;
  /**
   * Runs `fn` unless another holder of the lock `name` (on any node sharing the database) is running; resolves to
   * `{ ran: false }` then. PostgreSQL: a session advisory lock on a dedicated connection; SQLite: just runs `fn`.
   */
  tryExclusive<T>(name: string, fn: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }>;
  close(): Promise<void>;
}

/** The cluster-wide parts of a Store that differ by dialect (postgres.ts, sqlite-cluster.ts; an in-memory store's do nothing). */
export interface StoreCluster {
  publishKeyChange(keyId: string | null): Promise<void>;
  onKeyChange(listener: (keyId: string | null) => void): () => void;
  tryExclusive<T>(name: string, fn: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }>;
  close(): Promise<void>;
}

const SINGLE_NODE: StoreCluster = {
  publishKeyChange: async () => undefined,
  onKeyChange: () => () => undefined,
  tryExclusive: async (_name, fn) => ({ ran: true, value: await fn() }),
  close: async () => undefined,
};

/** Wraps a Kysely instance as a Store (shared by the SQLite and PostgreSQL openers). */
export function createStore(raw: Db, dialect: StoreDialect, cluster: StoreCluster = SINGLE_NODE): Store {
  let closed = false;
  const integrity = new RowIntegrity();
  // Every handle the store gives out, and every transaction made from it, carries the integrity plugin.
  const db = raw.withPlugin(integrity);
  return {
    db,
    dialect,
    integrity,
    transaction: (fn) => db.transaction().execute(fn),
    publishKeyChange: (keyId) => cluster.publishKeyChange(keyId),
    onKeyChange: (listener) => cluster.onKeyChange(listener),
    tryExclusive: (name, fn) => cluster.tryExclusive(name, fn),
    async close() {
      if (closed) return;
      closed = true;
      await cluster.close();
      await db.destroy();
    },
  };
}
