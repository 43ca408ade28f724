// The cluster-wide parts of a SQLite store (StoreCluster) for the worker processes of one server (issue 17,
// `custos server --workers N`): key changes from the store's change feed (sqlite-key-changes.ts: every committed
// change, polled) and, sooner, relayed by the other workers through the primary (node:cluster IPC); exclusive jobs
// (maintenance) under a lock file every process of the machine sees. Must not import service or api.
//
// A process that is not a cluster worker gets the same lock and the feed but no relay: no worker of its own caches its
// keys (and an IPC channel it may have, to a test runner or a supervisor, is not ours to write to).
import cluster from 'node:cluster';
import { resolve } from 'node:path';
import { ensurePrivateFile } from './private-file.js';
import { sqliteDriver, type SqliteDatabase } from './sqlite-driver.js';
import { pollKeyChanges } from './sqlite-key-changes.js';
import type { StoreCluster } from './store.js';

/** The IPC message a worker sends (and the primary relays to the other workers) when a key changed. */
export interface KeyChangeMessage {
  readonly custos: 'key-change';
  /** null: every key (a root rotation). */
  readonly keyId: string | null;
}

export function isKeyChangeMessage(message: unknown): message is KeyChangeMessage {
  return (message as Partial<KeyChangeMessage> | null)?.custos === 'key-change';
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/** The store's connection the change feed is read on, and how often. */
export interface KeyChangeFeed {
  readonly database: SqliteDatabase;
  readonly pollMs: number;
}

/**
 * The SQLite StoreCluster of the store file `databaseFile`. tryExclusive('maintenance') holds a write transaction on
 * `<databaseFile>.jobs.lock` while it runs (SQLite's RESERVED lock, a kernel advisory lock: dropped when the holder
 * dies, even by kill -9); a process that finds it held skips the run, as a PostgreSQL node does. With `feed`, the
 * key-change listeners also hear the change feed, polled while any listens.
 */
export function sqliteCluster(databaseFile: string, feed?: KeyChangeFeed): StoreCluster {
  const listeners = new Set<(keyId: string | null) => void>();
  const emit = (keyId: string | null): void => {
    for (const listener of [...listeners]) listener(keyId);
  };
  const onMessage = (message: unknown): void => {
    if (isKeyChangeMessage(message)) emit(message.keyId);
  };
  let subscribed = false;
  let stopPolling: (() => void) | undefined;
  return {
    async publishKeyChange(keyId) {
      if (!cluster.isWorker || !process.connected) return;
      const message: KeyChangeMessage = { custos: 'key-change', keyId };
      await new Promise<void>((done) => {
        process.send?.(message, undefined, {}, () => {
          done(); // a primary gone: nothing to tell (the worker exits on disconnect)
        });
      });
    },
    onKeyChange(listener) {
      listeners.add(listener);
      if (!subscribed && cluster.isWorker) {
        subscribed = true;
        process.on('message', onMessage);
      }
      if (feed && !stopPolling) stopPolling = pollKeyChanges(feed.database, feed.pollMs, emit).stop;
      return () => {
        listeners.delete(listener);
        if (listeners.size > 0) return;
        stopPolling?.();
        stopPolling = undefined;
        if (subscribed) {
          subscribed = false;
          process.off('message', onMessage);
        }
      };
    },
    async tryExclusive(name, fn) {
      const path = `${resolve(databaseFile)}.${name}.lock`;
      ensurePrivateFile(path);
      const database = new (sqliteDriver())(path, { timeout: 0 });
      try {
        try {
          database.exec('begin immediate');
        } catch (error) {
          if (isBusy(error)) return { ran: false };
          throw error;
        }
        return { ran: true, value: await fn() };
      } finally {
        database.close(); // ends the transaction: the lock is free
      }
    },
    async close() {
      stopPolling?.();
      stopPolling = undefined;
      listeners.clear();
      if (subscribed) process.off('message', onMessage);
      subscribed = false;
    },
  };
}
