// One process per SQLite store: the lock a LocalKms (and so a server) holds on its database file while it is open, so a
// second process — a script's LocalKms, a second server — is refused instead of silently writing to the live store.
// Must not import service or api.
//
// The lock is SQLite's own: `<database>.lock` is a small SQLite file on which the holder keeps a write transaction
// (BEGIN IMMEDIATE, SQLite's RESERVED lock: POSIX advisory locks, arbitrated by the kernel) open for as long as it
// holds the store, with nothing written in it. Readers may still read it, so it also records who holds it (pid, host,
// since), for the refusal's message. The kernel drops the lock when the holder's process ends, however it ends: a
// stale lock (holder dead, even after kill -9) is taken over by the next opener with no guessing from pids, and two
// openers racing for it cannot both win. SQLite arbitrates between connections of one process as well, so a second
// LocalKms in the same process is refused the same way. PostgreSQL stores are shared by design and take no lock.
//
// The worker processes of one server (issue 17, `custos server --workers N`) count as one holder: the primary takes
// the lock as here and hands its holder `id` (a random UUID recorded in the lock file) to the workers it forks (in
// their environment). A worker joins instead of acquiring (joinDataDirLock): it checks that BEGIN IMMEDIATE is
// refused (the lock is held: a worker whose primary has died must not run) and that the recorded holder id is the
// one it was given, and holds nothing itself; it exits when its primary does (the cluster's disconnect).
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { UnavailableError } from '@custos/contract';
import { ensurePrivateFile } from './private-file.js';
import { sqliteDriver, type SqliteDatabase } from './sqlite-driver.js';

/** Who holds a store: recorded in its lock file. */
interface LockHolder {
  /** Random, per acquisition: what the worker processes of the holder will be given to join it. */
  readonly id: string;
  readonly pid: number;
  readonly host: string;
  /** ISO 8601. */
  readonly since: string;
}

/** A held lock; `release` (idempotent) frees it for the next process. */
export interface DataDirLock {
  /** The holder's id, recorded in the lock file (what worker processes will be handed to join it). */
  readonly holderId: string;
  release(): void;
}

/** Attempts before giving up when openers keep overtaking each other between our commit and our lock. */
const ATTEMPTS = 5;

const CREATE = `create table if not exists holder (
  one integer primary key check (one = 1), id text not null, pid integer not null, host text not null, since text not null)`;

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

function readHolder(database: SqliteDatabase): LockHolder | undefined {
  try {
    return database.prepare<[], LockHolder>('select id, pid, host, since from holder where one = 1').get();
  } catch {
    return undefined; // no table yet, or the holder is mid-commit: the message says less
  }
}

function heldBy(databaseFile: string, holder: LockHolder | undefined): UnavailableError {
  const who = holder
    ? `process ${holder.pid} on ${holder.host}, since ${holder.since}`
    : 'another process (it has not recorded itself yet)';
  return new UnavailableError(
    `the store ${databaseFile} is in use by ${who}: one process owns a SQLite data directory; stop that process, ` +
      'or reach it through its API (RemoteKms, the custos CLI) instead of opening its data directory',
  );
}

/**
 * Takes the lock of the SQLite store `databaseFile` (the file `<databaseFile>.lock`, mode 0600), or throws
 * UNAVAILABLE naming the process that holds it. Release it after closing the store.
 * @example
 * const lock = acquireDataDirLock('/var/lib/custos/custos.db');
 * try { ... } finally { lock.release(); }
 */
export function acquireDataDirLock(databaseFile: string): DataDirLock {
  const file = resolve(databaseFile);
  const path = `${file}.lock`;
  ensurePrivateFile(path);
  const Database = sqliteDriver();
  // timeout 0: a held lock answers SQLITE_BUSY at once instead of after better-sqlite3's default 5 s.
  const database = new Database(path, { timeout: 0 });
  const me: LockHolder = { id: randomUUID(), pid: process.pid, host: hostname(), since: new Date().toISOString() };
  try {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        database.exec('begin immediate');
      } catch (error) {
        if (isBusy(error)) throw heldBy(file, readHolder(database));
        throw error;
      }
      // Ours (for now). Holding it with our own record in it: done. Otherwise record ourselves (a commit releases
      // the lock for a moment; whoever takes it then is the holder, and our next BEGIN says so).
      if (readHolder(database)?.id === me.id) return heldLock(database, me);
      database.exec(CREATE);
      database
        .prepare('insert or replace into holder (one, id, pid, host, since) values (1, ?, ?, ?, ?)')
        .run(me.id, me.pid, me.host, me.since);
      database.exec('commit');
    }
    throw heldBy(file, readHolder(database));
  } catch (error) {
    database.close();
    throw error;
  }
}

/**
 * Joins the lock the process `holderId` names (the primary of a `custos server --workers N`): succeeds only while
 * that holder still holds it; throws UNAVAILABLE otherwise. Holds nothing: `release` only closes the file.
 * @example const lock = joinDataDirLock(file, process.env.CUSTOS_DATA_DIR_LOCK_HOLDER);
 */
export function joinDataDirLock(databaseFile: string, holderId: string): DataDirLock {
  const file = resolve(databaseFile);
  const database = new (sqliteDriver())(`${file}.lock`, { timeout: 0, fileMustExist: true });
  try {
    const holder = readHolder(database);
    let held = false;
    try {
      database.exec('begin immediate');
      database.exec('rollback');
    } catch (error) {
      if (!isBusy(error)) throw error;
      held = true;
    }
    if (!held || holder?.id !== holderId)
      throw new UnavailableError(
        `the store ${file} is not held by the server this worker belongs to (its primary has ended): not joining`,
      );
    return heldLock(database, holder);
  } catch (error) {
    database.close();
    throw error;
  }
}

function heldLock(database: SqliteDatabase, holder: LockHolder): DataDirLock {
  let released = false;
  return {
    holderId: holder.id,
    release() {
      if (released) return;
      released = true;
      // Closing ends the open transaction and drops the lock; the holder row stays, overwritten by the next holder.
      database.close();
    },
  };
}
