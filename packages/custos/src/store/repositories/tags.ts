// Repository for key tags (TagRecord): upsert per tag key, remove, list ordered by tag key.
// Must not import service or api; rows are mapped to records here and never returned.
import type { KeyTagRow } from '../schema/index.js';
import type { Db } from '../store.js';
import type { TagRecord } from '../types.js';
import { num } from './convert.js';

/** The mapper: one row → one TagRecord. */
function toRecord(row: KeyTagRow): TagRecord {
  return { tagKey: row.tag_key, tagValue: row.tag_value };
}

/** Sets each tag (inserting it, or replacing the value of an existing tag key). */
export async function put(db: Db, keyId: string, tags: readonly TagRecord[]): Promise<void> {
  if (tags.length === 0) return;
  await db
    .insertInto('key_tags')
    .values(tags.map((t) => ({ key_id: keyId, tag_key: t.tagKey, tag_value: t.tagValue })))
    // ON CONFLICT ... DO UPDATE: the same syntax on SQLite (3.24+) and PostgreSQL.
    .onConflict((oc) =>
      oc.columns(['key_id', 'tag_key']).doUpdateSet((eb) => ({ tag_value: eb.ref('excluded.tag_value') })),
    )
    .execute();
}

/** Removes the named tags (absent ones are ignored); returns how many were removed. */
export async function remove(db: Db, keyId: string, tagKeys: readonly string[]): Promise<number> {
  if (tagKeys.length === 0) return 0;
  const result = await db
    .deleteFrom('key_tags')
    .where('key_id', '=', keyId)
    .where('tag_key', 'in', [...tagKeys])
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The key's tags, ordered by tag key. */
export async function list(db: Db, keyId: string): Promise<TagRecord[]> {
  const rows = await db.selectFrom('key_tags').selectAll().where('key_id', '=', keyId).orderBy('tag_key').execute();
  return rows.map(toRecord);
}

export async function count(db: Db, keyId: string): Promise<number> {
  const row = await db
    .selectFrom('key_tags')
    .select((eb) => eb.fn.countAll().as('count'))
    .where('key_id', '=', keyId)
    .executeTakeFirstOrThrow();
  return num(row.count);
}
