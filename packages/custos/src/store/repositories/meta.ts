// Repository for the `meta` key/value table (schema information, the root key check value).
// Must not import service or api.
import type { Db } from '../store.js';

export async function get(db: Db, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

/** Inserts or replaces the value. */
export async function set(db: Db, key: string, value: string): Promise<void> {
  await db
    .insertInto('meta')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}

/** Removes the key; returns whether it existed. */
export async function remove(db: Db, key: string): Promise<boolean> {
  const result = await db.deleteFrom('meta').where('key', '=', key).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
