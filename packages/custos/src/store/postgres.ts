// Opens the PostgreSQL store (many nodes on one database): a pg Pool, int8 parsed as numbers, optional schema, migrations.
// Must not import service or api.
import { CompiledQuery, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { migrateToLatest, withMigrationLock } from './migrations/index.js';
import type { Database } from './schema/index.js';
import { createStore, type Store } from './store.js';

export interface PostgresStoreOptions {
  /**
   * Schema holding Custos's tables, created if missing; every pooled connection starts with
   * `search_path` set to it. Default: the server's default search_path (usually `public`).
   * A plain identifier: letters, digits and `_`, not starting with a digit, at most 63 characters.
   */
  readonly schema?: string;
  /** Maximum connections in the pool; default 10. */
  readonly poolSize?: number;
  /** How long to wait for a connection (new or from the pool) before failing, ms; default no limit. */
  readonly connectionTimeoutMs?: number;
  /** Server-side `statement_timeout` of every connection, ms; default the server's. */
  readonly statementTimeoutMs?: number;
  /**
   * Whether to apply pending migrations on open; default true. With false the caller runs
   * `migrateToLatest(store.db, 'postgres')` itself (LocalKms checks the root key binding first).
   */
  readonly migrate?: boolean;
}

/** pg's int8 type OID (BIGINT: ms timestamps, counters, `count(*)`, audit seq). */
const INT8_OID = 20;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** BIGINT as a JS number; a value beyond 2^53 cannot be a time or counter of ours, so it fails loudly. */
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`BIGINT value ${text} is outside the safe integer range`);
  return value;
}

/**
 * Opens the PostgreSQL store at `url` (a libpq-style connection string) and, unless
 * `options.migrate` is false, migrates it to the latest schema. Nodes opening the same database
 * together migrate one at a time (an advisory lock inside the migration transaction).
 *
 * BIGINT columns arrive as numbers (a type parser of this pool only; pg's global parsers are left
 * alone) and BYTEA as Buffers, which the repositories' mappers copy to plain Uint8Arrays.
 * `close()` ends the pool.
 * @example const store = await openPostgresStore('postgres://custos@db/custos', { schema: 'custos', poolSize: 20 });
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const { schema, poolSize = 10, connectionTimeoutMs, statementTimeoutMs } = options;
  if (schema !== undefined && !IDENTIFIER.test(schema)) throw new Error(`invalid PostgreSQL schema name: ${JSON.stringify(schema)}`);
  if (!Number.isSafeInteger(poolSize) || poolSize < 1) throw new Error(`invalid PostgreSQL pool size: ${poolSize}`);

  const types = new pg.TypeOverrides();
  types.setTypeParser(INT8_OID, 'text', parseInt8);
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types,
    ...(connectionTimeoutMs !== undefined ? { connectionTimeoutMillis: connectionTimeoutMs } : {}),
    ...(statementTimeoutMs !== undefined ? { statement_timeout: statementTimeoutMs } : {}),
  });
  // An idle connection that dies (server restart, failover) is dropped from the pool and the next
  // query opens a new one; without a listener pg would rethrow the error and end the process.
  pool.on('error', () => undefined);

  // search_path is set by a statement on each new connection rather than by the `options` start-up
  // parameter, which an `options=` in the URL would silently replace (pg lets the URL win).
  const setSearchPath = schema === undefined ? undefined : CompiledQuery.raw(`set search_path to "${schema}"`);
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({
      pool,
      ...(setSearchPath ? { onCreateConnection: async (connection) => void (await connection.executeQuery(setSearchPath)) } : {}),
    }),
  });
  try {
    if (schema !== undefined) await createSchemaIfMissing(db, schema);
    if (options.migrate !== false) await migrateToLatest(db, 'postgres');
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return createStore(db, 'postgres');
}

/**
 * Creates the schema unless it exists. Checked first so that an existing schema needs no CREATE
 * privilege on the database; created under the migration lock, as concurrent
 * `CREATE SCHEMA IF NOT EXISTS` can still fail with a unique violation on pg_namespace.
 */
async function createSchemaIfMissing(db: Kysely<Database>, schema: string): Promise<void> {
  const exists = async (handle: Kysely<any>): Promise<boolean> =>
    (await handle.selectFrom('pg_catalog.pg_namespace').select('nspname').where('nspname', '=', schema).executeTakeFirst()) !== undefined;
  if (await exists(db)) return;
  await withMigrationLock(db, 'postgres', async (tx) => {
    if (!(await exists(tx))) await tx.schema.createSchema(schema).execute();
  });
}
