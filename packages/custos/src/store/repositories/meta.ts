// Repository for the `meta` key/value table (schema information, the root key check value).
// Must not import service or api.
import { tableExists } from '../dialect.js';
import type { Db } from '../store.js';

export async function get(db: Db, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

/**
 * The value, or undefined when the key is absent or the store has no `meta` table yet (an empty
 * database, not migrated). Reads only: for checks that must come before migrating.
 */
export async function peek(db: Db, key: string): Promise<string | undefined> {
  return (await tableExists(db, 'meta')) ? get(db, key) : undefined;
}

/**
 * Stores `value` unless the key already has one, and returns the value stored now: `value` if this
 * call stored it, the existing one otherwise. Two nodes racing (PostgreSQL) both see the winner's value.
 * @example if ((await meta.setIfAbsent(tx, 'k', mine)) !== mine) throw ...
 */
export async function setIfAbsent(db: Db, key: string, value: string): Promise<string> {
  await db
    .insertInto('meta')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const stored = await get(db, key);
  if (stored === undefined) throw new Error(`meta.setIfAbsent: ${key} vanished`);
  return stored;
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
