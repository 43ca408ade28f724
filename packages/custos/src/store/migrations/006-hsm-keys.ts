// Migration 006: HSM-protected keys. A key version whose material lives in a PKCS#11 token records the token
// object's identity instead of wrapped material: `token_object_id` (hex CKA_ID) and `custom_key_store_id` (the
// key store whose token holds it; NULL = the root of trust's token). Both NULL for software versions.
// Must not import service, api or the schema types: a released migration is never edited, so it stands alone.
import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

export async function up(db: Kysely<unknown>, _dialect: StoreDialect): Promise<void> {
  await db.schema.alterTable('key_versions').addColumn('custom_key_store_id', 'text').execute();
  await db.schema.alterTable('key_versions').addColumn('token_object_id', 'text').execute();
  // A key store holding keys cannot be deleted: the store asks whether any version names it.
  await db.schema
    .createIndex('key_versions_custom_key_store_id_idx')
    .on('key_versions')
    .column('custom_key_store_id')
    .execute();
}
