// Migration 005: storage is untrusted. Row MACs on every row that governs access, the audit chain's scheme per
// record, signed audit checkpoints, and the replay guard of signed AWS requests.
// Must not import service, api or the schema types: a released migration is never edited, so it stands alone.
// The MACs themselves need the root of trust, which a migration never sees: the service fills them in, once,
// on the first start after this migration (service/integrity/establish.ts).
import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';
import { columnTypes } from './column-types.js';

/** The tables whose rows carry a MAC (`row_mac`, NULL until the service establishes integrity). */
const AUTHENTICATED_TABLES = ['keys', 'key_versions', 'aliases', 'api_tokens', 'access_keys', 'import_tokens'];

export async function up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  const t = columnTypes(dialect);

  // --- row integrity ---
  for (const table of AUTHENTICATED_TABLES) {
    await db.schema.alterTable(table).addColumn('row_mac', 'text').execute();
  }

  // --- audit log ---
  // 1: the unkeyed SHA-256 chain of earlier releases; 2: HMAC-SHA-256 under a key derived from the root of trust.
  await db.schema
    .alterTable('audit_log')
    .addColumn('chain', t.flag, (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createTable('audit_checkpoints')
    .addColumn('seq', t.int64, (c) => c.primaryKey()) // the audit record the checkpoint signs the head at
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('time', t.int64, (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .execute();

  // --- signed AWS requests already served (replay guard) ---
  await db.schema
    .createTable('request_replays')
    .addColumn('digest', 'text', (c) => c.primaryKey()) // hex SHA-256 of the request's signature
    .addColumn('expires_at', t.int64, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('request_replays_expires_at_idx').on('request_replays').column('expires_at').execute();
}
