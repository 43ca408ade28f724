// Migration 015: per-key PINs. keys.pin_protected says a key's every use needs its PIN (row-MAC'd with the key,
// LATER_COLUMNS, so deleting the PIN row cannot lift the protection); key_pins holds the PIN policy, the PIN and PUK
// as salted scrypt hashes, and the failure counters, row-MAC'd too (a reset counter or swapped hash fails the check).
// Must not import service, api or the schema types: a released migration is never edited, so it stands alone.
import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';
import { columnTypes } from './column-types.js';

export async function up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema
    .alterTable('keys')
    .addColumn('pin_protected', t.flag, (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable('key_pins')
    .addColumn('key_id', 'text', (c) => c.primaryKey().references('keys.id'))
    .addColumn('policy', 'text', (c) => c.notNull()) // JSON: minLength, maxLength, format, retryLimit, patternRestrictions
    .addColumn('pin_hash', 'text', (c) => c.notNull()) // service/key-pins/pin-hash.ts: "s1.<N>.<r>.<p>.<salt>.<hash>"
    .addColumn('puk_hash', 'text', (c) => c.notNull())
    .addColumn('pin_failures', 'integer', (c) => c.notNull().defaultTo(0)) // wrong PINs (and tries in flight) in a row
    .addColumn('puk_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('blocked', t.flag, (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', t.int64, (c) => c.notNull())
    .addColumn('updated_at', t.int64, (c) => c.notNull())
    .addColumn('row_mac', 'text')
    .execute();
}
