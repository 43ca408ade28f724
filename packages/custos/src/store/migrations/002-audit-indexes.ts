// Migration 002: indexes for audit queries by key and for listing keys by state (sweeps, counts).
// Must not import service, api or the schema types: a released migration is never edited.
import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

export async function up(db: Kysely<unknown>, _dialect: StoreDialect): Promise<void> {
  await db.schema.createIndex('audit_log_key_id_idx').on('audit_log').columns(['key_id', 'seq']).execute();
  await db.schema.createIndex('keys_state_idx').on('keys').column('state').execute();
}
