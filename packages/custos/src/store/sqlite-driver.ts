// The better-sqlite3 build this Node.js can run, behind one function (same API, same types), loaded on first use
// so that a deployment on PostgreSQL never needs it:
// - Node 22 and later: better-sqlite3 13 (Node-API, prebuilt binaries). Version 12 compiled against Node 24.19 or
//   later aborts the process when the GC finalises a statement (node::RemoveEnvironmentCleanupHook asserts).
// - Node 20: better-sqlite3 12 (13 needs Node 22 and crashes on 20), an optional dependency: npm skips it quietly
//   when it can neither download its prebuilt binary nor compile it.
// Must not import service or api.
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

const require = createRequire(import.meta.url);

export type SqliteDatabase = BetterSqlite3.Database;

let driver: typeof BetterSqlite3 | undefined;

/** The better-sqlite3 Database class for this Node.js; an Error naming the fix when it is missing or will not load. */
export function sqliteDriver(): typeof BetterSqlite3 {
  if (driver) return driver;
  const major = Number(process.versions.node.split('.')[0]);
  const name = major >= 22 ? 'better-sqlite3-13' : 'better-sqlite3';
  const node = process.versions.node;
  try {
    driver = require(name) as typeof BetterSqlite3;
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') {
      const fix =
        major >= 22 ? 'run npm install' : 'install python3, make and g++, then run npm rebuild better-sqlite3';
      throw new Error(
        `the SQLite store needs the npm package ${name} on Node ${node}, which is not installed (${fix})`,
        { cause },
      );
    }
    // Installed but unloadable: most often a native build made for another Node.js (node_modules copied across).
    const fix = major >= 22 ? 'run npm ci' : 'run npm rebuild better-sqlite3';
    throw new Error(
      `the SQLite store cannot load the npm package ${name} on Node ${node}: ${(cause as Error).message} (${fix})`,
      { cause },
    );
  }
  return driver;
}
