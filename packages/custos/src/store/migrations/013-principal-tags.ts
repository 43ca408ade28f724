// Migration 013: api_tokens.tags and access_keys.tags — a principal's tags (`aws:PrincipalTag/<key>` in key policies),
// as JSON text; NULL for none. Row-MAC'd (store/integrity.ts OMITTED_WHEN_NULL): tags can decide access.
// Must not import service, api or the schema types: a released migration is never edited, so it stands alone.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('api_tokens').addColumn('tags', 'text').execute();
  await db.schema.alterTable('access_keys').addColumn('tags', 'text').execute();
}
