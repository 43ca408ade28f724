// Migration 001: the initial schema (keys, key_versions, aliases, key_tags, import_tokens, audit_log, meta).
// Must not import service, api or the schema types: a released migration is never edited, so it stands alone.
import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';
import { columnTypes } from './column-types.js';

export async function up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  const t = columnTypes(dialect);

  await db.schema
    .createTable('keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('spec', 'text', (c) => c.notNull())
    .addColumn('usage', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('protection_level', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('exportable', t.flag, (c) => c.notNull())
    .addColumn('created_at', t.int64, (c) => c.notNull())
    .addColumn('updated_at', t.int64, (c) => c.notNull())
    .addColumn('deletion_date', t.int64)
    .addColumn('pending_window_days', 'integer')
    .addColumn('latest_version', 'integer', (c) => c.notNull())
    .addColumn('rotation_enabled', t.flag, (c) => c.notNull())
    .addColumn('rotation_period_days', 'integer')
    .addColumn('next_rotation_at', t.int64)
    .addColumn('allowed_algorithms', 'text')
    .addColumn('not_before', t.int64)
    .addColumn('not_after', t.int64)
    .addColumn('max_uses', t.int64)
    .addColumn('use_count', t.int64, (c) => c.notNull().defaultTo(0))
    .addColumn('material_expires_at', t.int64)
    .addColumn('application_id', 'text')
    .addColumn('reference_id', 'text')
    .addColumn('policy', 'text')
    .execute();
  await db.schema.createIndex('keys_created_at_id_idx').on('keys').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('keys_keyring_idx').on('keys').columns(['application_id', 'reference_id']).execute();

  await db.schema
    .createTable('key_versions')
    .addColumn('key_id', 'text', (c) => c.notNull().references('keys.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('wrapped_material', t.bytes)
    .addColumn('public_key', t.bytes)
    .addColumn('created_at', t.int64, (c) => c.notNull())
    .addColumn('rotation_type', 'text')
    .addColumn('encryption_count', t.int64, (c) => c.notNull().defaultTo(0))
    .addColumn('material_check', 'text')
    .addPrimaryKeyConstraint('key_versions_pk', ['key_id', 'version'])
    .execute();

  await db.schema
    .createTable('aliases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('key_id', 'text', (c) => c.notNull().references('keys.id').onDelete('cascade'))
    .addColumn('created_at', t.int64, (c) => c.notNull())
    .addColumn('updated_at', t.int64, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('aliases_key_id_idx').on('aliases').column('key_id').execute();

  await db.schema
    .createTable('key_tags')
    .addColumn('key_id', 'text', (c) => c.notNull().references('keys.id').onDelete('cascade'))
    .addColumn('tag_key', 'text', (c) => c.notNull())
    .addColumn('tag_value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('key_tags_pk', ['key_id', 'tag_key'])
    .execute();

  await db.schema
    .createTable('import_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key_id', 'text', (c) => c.notNull().references('keys.id').onDelete('cascade'))
    .addColumn('wrapping_key_spec', 'text', (c) => c.notNull())
    .addColumn('wrapping_algorithm', 'text', (c) => c.notNull())
    .addColumn('wrapped_private_key', t.bytes, (c) => c.notNull())
    .addColumn('public_key', t.bytes, (c) => c.notNull())
    .addColumn('created_at', t.int64, (c) => c.notNull())
    .addColumn('expires_at', t.int64, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('import_tokens_key_id_idx').on('import_tokens').column('key_id').execute();
  await db.schema.createIndex('import_tokens_expires_at_idx').on('import_tokens').column('expires_at').execute();

  // No foreign key on key_id: a denied or failed request may name a key that does not exist.
  await db.schema
    .createTable('audit_log')
    .addColumn('seq', t.serialType, (c) =>
      dialect === 'postgres' ? c.primaryKey().generatedAlwaysAsIdentity() : c.primaryKey().autoIncrement(),
    )
    .addColumn('time', t.int64, (c) => c.notNull())
    .addColumn('principal', 'text', (c) => c.notNull())
    .addColumn('operation', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text')
    .addColumn('key_version', 'integer')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('error_code', 'text')
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('details', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}
