// Migration 004: access_keys, the AWS-style access keys of the AWS KMS protocol, secrets wrapped by the root of trust.
// Must not import service, api or the schema types: a released migration is never edited, so it stands alone.
import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';
import { columnTypes } from './column-types.js';

export async function up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema
    .createTable('access_keys')
    .addColumn('id', 'text', (c) => c.primaryKey()) // the access key id, 'AKIA…'
    .addColumn('principal', 'text', (c) => c.notNull())
    .addColumn('roles', 'text', (c) => c.notNull()) // JSON array of role names
    .addColumn('wrapped_secret', t.bytes, (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('created_at', t.int64, (c) => c.notNull())
    .addColumn('revoked_at', t.int64)
    .addColumn('last_used_at', t.int64)
    .execute();
  await db.schema
    .createIndex('access_keys_created_at_id_idx')
    .on('access_keys')
    .columns(['created_at', 'id'])
    .execute();
}
