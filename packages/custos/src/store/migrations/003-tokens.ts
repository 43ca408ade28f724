// Migration 003: api_tokens, the bearer tokens of the REST API, stored only as SHA-256 hashes.
// Must not import service, api or the schema types: a released migration is never edited, so it stands alone.
import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';
import { columnTypes } from './column-types.js';

export async function up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('principal', 'text', (c) => c.notNull())
    .addColumn('roles', 'text', (c) => c.notNull()) // JSON array of role names
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('created_at', t.int64, (c) => c.notNull())
    .addColumn('expires_at', t.int64)
    .addColumn('revoked_at', t.int64)
    .addColumn('last_used_at', t.int64)
    .execute();
  await db.schema.createIndex('api_tokens_created_at_id_idx').on('api_tokens').columns(['created_at', 'id']).execute();
}
