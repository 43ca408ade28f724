// Migration 007: custom_key_stores, the AWS custom key stores, each a PKCS#11 token of the server's configured
// module, its PIN wrapped by the root of trust. Must not import service, api or the schema types: a released
// migration is never edited, so it stands alone.
import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';
import { columnTypes } from './column-types.js';

export async function up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema
    .createTable('custom_key_stores')
    .addColumn('id', 'text', (c) => c.primaryKey()) // 'cks-' + 17 hex characters
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('token_label', 'text', (c) => c.notNull().unique()) // AWS CloudHsmClusterId
    .addColumn('wrapped_pin', t.bytes, (c) => c.notNull()) // the token's user PIN, wrapped by the root of trust
    .addColumn('trust_anchor', 'text', (c) => c.notNull()) // PEM
    .addColumn('connection_state', 'text', (c) => c.notNull()) // the desired state: CONNECTED | DISCONNECTED | FAILED
    .addColumn('connection_error_code', 'text') // with FAILED only
    .addColumn('created_at', t.int64, (c) => c.notNull())
    .addColumn('row_mac', 'text')
    .execute();
  await db.schema
    .createIndex('custom_key_stores_created_at_id_idx')
    .on('custom_key_stores')
    .columns(['created_at', 'id'])
    .execute();
}
