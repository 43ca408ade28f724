// Migration 014: grants, AWS KMS grants on keys (CreateGrant): who may use a key for which operations, under which
// encryption context constraints, retired or revoked by deleting the row. Row-MAC'd: a grant governs access.
// Must not import service, api or the schema types: a released migration is never edited, so it stands alone.
import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';
import { columnTypes } from './column-types.js';

export async function up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema
    .createTable('grants')
    .addColumn('id', 'text', (c) => c.primaryKey()) // the GrantId, 64 lower-case hex digits
    .addColumn('key_id', 'text', (c) => c.notNull().references('keys.id'))
    .addColumn('grantee_principal', 'text', (c) => c.notNull()) // an IAM ARN (user/ or role/ of the account)
    .addColumn('retiring_principal', 'text') // an IAM ARN, or NULL
    .addColumn('operations', 'text', (c) => c.notNull()) // JSON array of grant operation names
    .addColumn('constraints', 'text') // JSON {encryptionContextEquals?, encryptionContextSubset?}, or NULL
    .addColumn('name', 'text') // the idempotency name, or NULL
    .addColumn('issuing_principal', 'text', (c) => c.notNull()) // the ARN of the principal that created it
    .addColumn('created_at', t.int64, (c) => c.notNull())
    .addColumn('row_mac', 'text')
    .execute();
  // ListGrants (paged by creation within a key) and the grants of a key (the authorization source).
  await db.schema.createIndex('grants_key_created_idx').on('grants').columns(['key_id', 'created_at', 'id']).execute();
  // ListRetirableGrants.
  await db.schema
    .createIndex('grants_retiring_created_idx')
    .on('grants')
    .columns(['retiring_principal', 'created_at', 'id'])
    .execute();
}
