// Creating a database or lock file owner-only, without touching a file a connection of this process may hold.
import { chmodSync, closeSync, openSync } from 'node:fs';

/**
 * Makes `path` exist with mode 0600. An existing file is never opened: SQLite's locks are POSIX (fcntl) locks, which
 * belong to the process and are all released when ANY descriptor of the file closes. Opening and closing the file
 * from Node while a connection of this process held it (the audit worker's second connection, a second store) dropped
 * the server's locks, and another process (the sqlite3 shell, only reading) then took itself for the last connection,
 * checkpointed and deleted the WAL under the server, whose later commits were lost on `kill -9` (issue 17). A file
 * created here is new, so no connection holds it.
 */
export function ensurePrivateFile(path: string): void {
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  chmodSync(path, 0o600);
}
