// Repository for the key caches' change feed on SQLite (`key_changes`, migration 019): the triggers write it, every
// process polls it (sqlite-key-changes.ts), and maintenance prunes it here. PostgreSQL has no table (its triggers
// NOTIFY). Must not import service or api.
import { sql } from 'kysely';
import { dialectOf } from '../dialect.js';
import type { Db } from '../store.js';

/**
 * Deletes the changes older than `keepSeconds` by the database's clock (the one the rows were stamped with); returns
 * how many. A process that has not polled for that long drops its whole cache when it next polls (the seq jumped).
 * Nothing to do on PostgreSQL.
 */
export async function prune(db: Db, keepSeconds: number): Promise<number> {
  if (dialectOf(db) !== 'sqlite') return 0;
  const result = await db
    .deleteFrom('key_changes')
    .where('changed_at', '<', sql<number>`cast(strftime('%s', 'now') as integer) - ${keepSeconds}`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
