// Migration 010: keys.publish_jwk — whether the key's public JWK appears in the unauthenticated
// /.well-known/jwks.json. Row-MAC'd (store/integrity.ts LATER_COLUMNS): it decides what a public endpoint shows.
// Must not import service, api or the schema types: a released migration is never edited, so it stands alone.
import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';
import { columnTypes } from './column-types.js';

export async function up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema
    .alterTable('keys')
    .addColumn('publish_jwk', t.flag, (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('keys_publish_jwk_idx').on('keys').columns(['publish_jwk', 'created_at', 'id']).execute();
}
