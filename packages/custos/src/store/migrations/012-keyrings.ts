// Migration 012: keyrings (MOSIP key manager). keyring_policies (MOSIP key_policy_def) and keyring_keys (MOSIP
// key_alias: each generation of a keyring's keys, its certificate and thumbprint), both row-MAC'd: a swapped policy
// or thumbprint would change who may use which key. key_versions.wrapping_key_id names the Module key a Base key's
// material is wrapped by (the second level of wrapping); NULL for every other version.
// Must not import service, api or the schema types: a released migration is never edited, so it stands alone.
import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';
import { columnTypes } from './column-types.js';

export async function up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema
    .createTable('keyring_policies')
    .addColumn('application_id', 'text', (c) => c.primaryKey())
    .addColumn('validity_days', 'integer', (c) => c.notNull())
    .addColumn('pre_expire_days', 'integer', (c) => c.notNull())
    .addColumn('active', t.flag, (c) => c.notNull())
    .addColumn('access_allowed', 'text', (c) => c.notNull()) // 'NA' = anyone, else a comma list of principals
    .addColumn('created_at', t.int64, (c) => c.notNull())
    .addColumn('updated_at', t.int64, (c) => c.notNull())
    .addColumn('row_mac', 'text')
    .execute();
  await db.schema
    .createTable('keyring_keys')
    .addColumn('id', 'text', (c) => c.primaryKey()) // MOSIP's key alias
    .addColumn('application_id', 'text', (c) => c.notNull())
    .addColumn('reference_id', 'text', (c) => c.notNull()) // '' = the application's master key
    .addColumn('kind', 'text', (c) => c.notNull()) // ROOT | MASTER | BASE | PARTNER | SYMMETRIC
    .addColumn('key_id', 'text', (c) => c.references('keys.id')) // NULL for a partner certificate
    .addColumn('certificate', 'text') // PEM; NULL for a symmetric key
    .addColumn('thumbprint', 'text') // upper-hex SHA-256 of the certificate's DER
    .addColumn('unique_identifier', 'text', (c) => c.notNull()) // MOSIP uni_ident
    .addColumn('generated_at', t.int64, (c) => c.notNull())
    .addColumn('expires_at', t.int64, (c) => c.notNull())
    .addColumn('created_at', t.int64, (c) => c.notNull())
    .addColumn('row_mac', 'text')
    .execute();
  await db.schema
    .createIndex('keyring_keys_ring_idx')
    .on('keyring_keys')
    .columns(['application_id', 'reference_id', 'generated_at'])
    .execute();
  await db.schema.createIndex('keyring_keys_thumbprint_idx').on('keyring_keys').column('thumbprint').execute();
  await db.schema.createIndex('keyring_keys_key_id_idx').on('keyring_keys').column('key_id').execute();
  await db.schema.alterTable('key_versions').addColumn('wrapping_key_id', 'text').execute();
}
