// Migration 018: indexes for ListKeys' filters and sorts (store/repositories/key-listing.ts). Each serves a filter on
// one value of state, spec or usage in creation order or key-id order (the primary key serves id order alone,
// keys_created_at_id_idx creation order alone); the keyring index gains the creation order (findByKeyring, ListKeys).
// No column changes, so no row MAC changes. Must not import service, api or the schema types.
import type { Kysely } from 'kysely';

const FILTERED = ['state', 'spec', 'usage'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const column of FILTERED) {
    await db.schema
      .createIndex(`keys_${column}_created_idx`)
      .on('keys')
      .columns([column, 'created_at', 'id'])
      .execute();
    await db.schema.createIndex(`keys_${column}_id_idx`).on('keys').columns([column, 'id']).execute();
  }
  await db.schema
    .createIndex('keys_keyring_created_idx')
    .on('keys')
    .columns(['application_id', 'reference_id', 'created_at', 'id'])
    .execute();
  await db.schema.dropIndex('keys_keyring_idx').execute();
}
