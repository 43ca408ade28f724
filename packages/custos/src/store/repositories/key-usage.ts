// Repository for key usage telemetry (key_usage, migration 016): batched increments and reads per key.
// Must not import service or api. Rows are telemetry, not MAC'd (store/integrity.ts); nothing access-deciding reads them.
import { sql } from 'kysely';
import { dialectOf } from '../dialect.js';
import type { Db } from '../store.js';
import { ms, num, toDate } from './convert.js';

/** Uses of one key version by one operation. */
export interface KeyUsageRecord {
  readonly keyId: string;
  readonly version: number;
  readonly operation: string;
  readonly count: number;
  readonly lastUsedAt: Date;
}

/** One batch entry: `count` more uses, the last at `lastUsedAt`. */
export type KeyUsageIncrement = KeyUsageRecord;

/**
 * Adds each entry to its row (inserted at the first use): `count = count + n` and the later of the two last-use
 * times, so processes sharing the store add up. Entries of keys that no longer exist are skipped by the caller.
 * @example await keyUsage.add(db, [{ keyId, version: 1, operation: 'Encrypt', count: 3, lastUsedAt: now }]);
 */
export async function add(db: Db, entries: readonly KeyUsageIncrement[]): Promise<void> {
  if (entries.length === 0) return;
  const later = dialectOf(db) === 'postgres' ? sql`greatest` : sql`max`;
  await db
    .insertInto('key_usage')
    .values(
      entries.map((e) => ({
        key_id: e.keyId,
        version: e.version,
        operation: e.operation,
        count: e.count,
        last_used_at: ms(e.lastUsedAt),
      })),
    )
    .onConflict((oc) =>
      oc.columns(['key_id', 'version', 'operation']).doUpdateSet({
        count: sql`key_usage.count + excluded.count`,
        last_used_at: sql`${later}(key_usage.last_used_at, excluded.last_used_at)`,
      }),
    )
    .execute();
}

/** The key's usage rows, by version then operation. */
export async function forKey(db: Db, keyId: string): Promise<KeyUsageRecord[]> {
  const rows = await db
    .selectFrom('key_usage')
    .selectAll()
    .where('key_id', '=', keyId)
    .orderBy('version')
    .orderBy('operation')
    .execute();
  return rows.map((r) => ({
    keyId: r.key_id,
    version: r.version,
    operation: r.operation,
    count: num(r.count),
    lastUsedAt: toDate(r.last_used_at),
  }));
}

/** When the key was last used (any version, any operation), or null when never. */
export async function lastUsedAt(db: Db, keyId: string): Promise<Date | null> {
  const row = await db
    .selectFrom('key_usage')
    .select((eb) => eb.fn.max('last_used_at').as('last'))
    .where('key_id', '=', keyId)
    .executeTakeFirst();
  // MAX over no rows is NULL, whatever the column's type says.
  const last = row?.last as number | string | bigint | null | undefined;
  return last === null || last === undefined ? null : toDate(last);
}
