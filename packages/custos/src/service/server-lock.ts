// The data directory lock a `custos server --workers N` primary holds for its workers (they join it: see
// store/data-dir-lock.ts), so the primary, which opens no store, still keeps other processes off the SQLite file.
// Must not import api.
import { mkdirSync } from 'node:fs';
import { acquireDataDirLock, isKeyChangeMessage, sqliteFile, type DataDirLock } from '../store/index.js';
import type { LocalKmsOptions } from './local-kms.js';

/**
 * Takes the lock of the SQLite store `options` select (UNAVAILABLE naming the holder when another process has it);
 * undefined on PostgreSQL, whose nodes share the database by design.
 * @example const lock = holdDataDir({ dataDir }); fork({ CUSTOS_DATA_DIR_LOCK_HOLDER: lock?.holderId });
 */
export function holdDataDir(options: Pick<LocalKmsOptions, 'dataDir' | 'store'>): DataDirLock | undefined {
  const file = sqliteFile(options.store ?? { kind: 'sqlite' }, options.dataDir);
  if (file === undefined) return undefined;
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  return acquireDataDirLock(file);
}

/** Whether an IPC message is a worker's key-change notice, which the primary relays to the other workers. */
export const isKeyChange = isKeyChangeMessage;
