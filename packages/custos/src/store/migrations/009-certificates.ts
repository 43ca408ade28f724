// Migration 009: key_certificates (a key's certificate chain) and trusted_certificates (the trust store's anchors),
// both row-MAC'd: a swapped certificate or anchor would change what a relying party trusts.
// Must not import service, api or the schema types: a released migration is never edited, so it stands alone.
import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';
import { columnTypes } from './column-types.js';

export async function up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema
    .createTable('key_certificates')
    .addColumn('key_id', 'text', (c) => c.primaryKey().references('keys.id'))
    .addColumn('key_version', t.int64, (c) => c.notNull()) // the version whose public key the leaf certifies
    .addColumn('chain', 'text', (c) => c.notNull()) // JSON array of PEM certificates, leaf first
    .addColumn('created_at', t.int64, (c) => c.notNull())
    .addColumn('updated_at', t.int64, (c) => c.notNull())
    .addColumn('row_mac', 'text')
    .execute();
  await db.schema
    .createTable('trusted_certificates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('domain', 'text', (c) => c.notNull())
    .addColumn('thumbprint', 'text', (c) => c.notNull()) // SHA-256 of the DER, lower-case hex
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('not_before', t.int64, (c) => c.notNull())
    .addColumn('not_after', t.int64, (c) => c.notNull())
    .addColumn('certificate', 'text', (c) => c.notNull()) // PEM
    .addColumn('created_at', t.int64, (c) => c.notNull())
    .addColumn('row_mac', 'text')
    .addUniqueConstraint('trusted_certificates_domain_thumbprint_key', ['domain', 'thumbprint'])
    .execute();
  await db.schema
    .createIndex('trusted_certificates_created_at_id_idx')
    .on('trusted_certificates')
    .columns(['created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('trusted_certificates_domain_created_at_id_idx')
    .on('trusted_certificates')
    .columns(['domain', 'created_at', 'id'])
    .execute();
}
