// Migration 008: root-key rotation. Each row holding material wrapped by the root of trust names the root key that
// wrapped it (`root_kcv`: that key's check value; NULL = not recorded, wrapped before any rotation or by a writer
// that does not record it), so a rotation knows which rows it still has to re-wrap.
// Must not import service, api or the schema types: a released migration is never edited, so it stands alone.
import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/** The tables with a column wrapped by the root of trust. */
const WRAPPED_TABLES = ['key_versions', 'access_keys', 'import_tokens', 'custom_key_stores'];

export async function up(db: Kysely<unknown>, _dialect: StoreDialect): Promise<void> {
  for (const table of WRAPPED_TABLES) {
    await db.schema.alterTable(table).addColumn('root_kcv', 'text').execute();
  }
}
