// Migration 011: attestation_identity, the attestation identity's certificate chain (one row, id 'default'), row-MAC'd:
// a swapped chain would change the roots verifiers are told to pin.
// Must not import service, api or the schema types: a released migration is never edited, so it stands alone.
import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';
import { columnTypes } from './column-types.js';

export async function up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema
    .createTable('attestation_identity')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('public_key', 'text', (c) => c.notNull()) // SPKI DER of the attestation key, base64: the chain's subject
    .addColumn('chain', 'text', (c) => c.notNull()) // JSON array of PEM certificates, the identity's first, root last
    .addColumn('created_at', t.int64, (c) => c.notNull())
    .addColumn('updated_at', t.int64, (c) => c.notNull())
    .addColumn('row_mac', 'text')
    .execute();
}
