// The better-sqlite3 build this Node.js can run, behind one import (same API, same types):
// - Node 22 and later: better-sqlite3 13 (Node-API, prebuilt binaries). Version 12 compiled against Node 24.19 or
//   later aborts the process when the GC finalises a statement (node::RemoveEnvironmentCleanupHook asserts).
// - Node 20: better-sqlite3 12 (13 needs Node 22 and crashes on 20).
// Must not import service or api.
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

const require = createRequire(import.meta.url);
const NODE_MAJOR = Number(process.versions.node.split('.')[0]);
const PACKAGE = NODE_MAJOR >= 22 ? 'better-sqlite3-13' : 'better-sqlite3';

function load(): typeof BetterSqlite3 {
  try {
    return require(PACKAGE) as typeof BetterSqlite3;
  } catch (cause) {
    throw new Error(`Custos needs the npm package ${PACKAGE} on Node ${process.versions.node} and cannot load it (run npm install)`, { cause });
  }
}

/** The better-sqlite3 Database class for this Node.js. */
export const SqliteDatabase: typeof BetterSqlite3 = load();
export type SqliteDatabase = BetterSqlite3.Database;
