// Migration 017: keys.public_key_only — a key imported as a public key alone (ImportPublicKey): its versions hold a
// public key and no wrapped material. Row-MAC'd (store/integrity.ts LATER_COLUMNS): it decides what the key may do.
// Must not import service, api or the schema types: a released migration is never edited, so it stands alone.
import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';
import { columnTypes } from './column-types.js';

export async function up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema
    .alterTable('keys')
    .addColumn('public_key_only', t.flag, (c) => c.notNull().defaultTo(0))
    .execute();
}
