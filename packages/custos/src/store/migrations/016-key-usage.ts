// Migration 016: usage telemetry and the minimum decryption version (issue 19). key_usage holds, per key, version and
// operation, how many uses and the last one, added to in batches by every process (count = count + n); its rows are
// telemetry, not MAC'd (see store/integrity.ts). keys gains min_decryption_version (ciphertexts of older versions are
// refused), trim_floor (versions below it are trimmed or scheduled to be: the minimum may not go below it) and
// trim_date (when a scheduled trim destroys them); all three are authenticated with the key's row.
// Must not import service, api or the schema types: a released migration is never edited, so it stands alone.
import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';
import { columnTypes } from './column-types.js';

export async function up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema
    .alterTable('keys')
    .addColumn('min_decryption_version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .alterTable('keys')
    .addColumn('trim_floor', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.alterTable('keys').addColumn('trim_date', t.int64).execute();
  await db.schema
    .createTable('key_usage')
    .addColumn('key_id', 'text', (c) => c.notNull().references('keys.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('operation', 'text', (c) => c.notNull()) // the operation's AWS name: Encrypt, Decrypt, Sign, ...
    .addColumn('count', t.int64, (c) => c.notNull())
    .addColumn('last_used_at', t.int64, (c) => c.notNull())
    .addPrimaryKeyConstraint('key_usage_pk', ['key_id', 'version', 'operation'])
    .execute();
}
