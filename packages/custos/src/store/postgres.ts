// Opens the PostgreSQL store (many nodes on one database): a pg Pool, int8 parsed as numbers, optional schema, migrations.
// Must not import service or api.
import { CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { migrateToLatest, withMigrationLock } from './migrations/index.js';
import type { AnyKysely } from './dialect.js';
import type { Database } from './schema/index.js';
import { createStore, type Store, type StoreCluster } from './store.js';

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
  if (schema !== undefined && !IDENTIFIER.test(schema))
    throw new Error(`invalid PostgreSQL schema name: ${JSON.stringify(schema)}`);
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
  // A checked-out connection has no pool listener (pg-pool removes it while the client is lent out): if the server
  // kills it between two queries, the 'error' event would end the process. The query in flight, or the next one,
  // fails instead (UNAVAILABLE), and the pool drops the dead client when it comes back (it is not queryable).
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });

  // search_path is set by a statement on each new connection rather than by the `options` start-up
  // parameter, which an `options=` in the URL would silently replace (pg lets the URL win).
  const setSearchPath = schema === undefined ? undefined : CompiledQuery.raw(`set search_path to "${schema}"`);
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({
      pool,
      ...(setSearchPath
        ? {
            onCreateConnection: async (connection) => {
              await connection.executeQuery(setSearchPath);
            },
          }
        : {}),
    }),
  });
  try {
    if (schema !== undefined) await createSchemaIfMissing(db, schema);
    if (options.migrate !== false) await migrateToLatest(db, 'postgres');
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return createStore(db, 'postgres', postgresCluster(url, db, schema, connectionTimeoutMs));
}

/**
 * Creates the schema unless it exists. Checked first so that an existing schema needs no CREATE
 * privilege on the database; created under the migration lock, as concurrent
 * `CREATE SCHEMA IF NOT EXISTS` can still fail with a unique violation on pg_namespace.
 */
async function createSchemaIfMissing(db: Kysely<Database>, schema: string): Promise<void> {
  const exists = async (handle: AnyKysely): Promise<boolean> =>
    (await handle
      .selectFrom('pg_catalog.pg_namespace')
      .select('nspname')
      .where('nspname', '=', schema)
      .executeTakeFirst()) !== undefined;
  if (await exists(db)) return;
  await withMigrationLock(db, 'postgres', async (tx) => {
    if (!(await exists(tx))) await tx.schema.createSchema(schema).execute();
  });
}

/** The NOTIFY channel of key changes (shared by every schema; the payload names the schema when there is one). */
const KEY_CHANGES_CHANNEL = 'custos_key_changes';
const BACKOFF_MIN_MS = 100;
const BACKOFF_MAX_MS = 5_000;

/**
 * Key-change notifications (NOTIFY / one LISTEN connection, reconnected with backoff) and cluster-wide exclusive
 * runs (session advisory locks). Both use connections of their own, outside the pool, so a small pool can never
 * be starved by them. Payload: `<keyId or *>`, prefixed with `<schema>/` when the store has a schema, so stores
 * on different schemas of one database ignore each other's changes. The triggers of migration 019 send
 * `<schema>/<keyId>` for every committed change to what a key cache holds, whoever made it; publishKeyChange's
 * message after a service's own change comes sooner and covers a root rotation (`*`).
 */
function postgresCluster(
  url: string,
  db: Kysely<Database>,
  schema: string | undefined,
  connectionTimeoutMs: number | undefined,
): StoreCluster {
  const prefix = schema === undefined ? '' : `${schema}/`;
  /** With no schema given: `<the default schema>/`, which the triggers' payloads carry. */
  let triggerPrefix: string | undefined;
  const clientConfig = { connectionString: url, connectionTimeoutMillis: connectionTimeoutMs ?? 10_000 };
  const listeners = new Set<(keyId: string | null) => void>();
  let listening: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let backoffMs = BACKOFF_MIN_MS;
  let closed = false;

  const emit = (keyId: string | null): void => {
    for (const listener of [...listeners]) {
      try {
        listener(keyId);
      } catch {
        // a listener's failure must not stop the others
      }
    }
  };
  const wanted = (): boolean => !closed && listeners.size > 0;
  const scheduleListen = (): void => {
    if (!wanted() || retry || listening) return;
    retry = setTimeout(() => {
      retry = undefined;
      void listen();
    }, backoffMs);
    retry.unref();
    backoffMs = Math.min(backoffMs * 2, BACKOFF_MAX_MS);
  };
  const listen = async (): Promise<void> => {
    if (!wanted() || listening) return;
    const client = new pg.Client(clientConfig);
    listening = client;
    let dropped = false;
    const drop = (): void => {
      if (dropped) return;
      dropped = true;
      client.removeAllListeners('notification');
      void client.end().catch(() => undefined);
      if (listening === client) listening = undefined;
      scheduleListen();
    };
    client.on('error', drop);
    client.on('end', drop);
    client.on('notification', (message) => {
      if (message.channel !== KEY_CHANGES_CHANNEL || message.payload === undefined) return;
      const payload = message.payload;
      let keyId: string;
      if (prefix) {
        if (!payload.startsWith(prefix)) return;
        keyId = payload.slice(prefix.length);
      } else if (!payload.includes('/')) keyId = payload;
      else if (triggerPrefix && payload.startsWith(triggerPrefix)) keyId = payload.slice(triggerPrefix.length);
      else return;
      emit(keyId === '*' ? null : keyId);
    });
    try {
      await client.connect();
      // The triggers (migration 019) name the tables' schema even when the store was given none: the default one.
      if (!prefix) {
        const { rows } = await client.query<{ schema: string }>('select current_schema() as schema');
        triggerPrefix = rows[0]?.schema ? `${rows[0].schema}/` : undefined;
      }
      await client.query(`listen ${KEY_CHANGES_CHANNEL}`);
    } catch {
      drop();
      return;
    }
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- drop() may have run during the awaits
    if (dropped) return;
    if (!wanted()) return void stopListening();
    backoffMs = BACKOFF_MIN_MS;
    // Notifications sent while there was no LISTEN are lost: every cached key may be stale.
    emit(null);
  };
  const stopListening = async (): Promise<void> => {
    if (retry) clearTimeout(retry);
    retry = undefined;
    const client = listening;
    listening = undefined;
    if (client) {
      client.removeAllListeners('end');
      client.removeAllListeners('notification');
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
    }
  };

  return {
    async publishKeyChange(keyId) {
      await sql`select pg_notify(${KEY_CHANGES_CHANNEL}, ${`${prefix}${keyId ?? '*'}`})`.execute(db);
    },
    onKeyChange(listener) {
      listeners.add(listener);
      if (!listening && !retry) void listen();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) void stopListening();
      };
    },
    async tryExclusive(name, fn) {
      const client = new pg.Client(clientConfig);
      client.on('error', () => undefined);
      await client.connect();
      try {
        const lock = `custos:${schema ?? ''}:${name}`;
        const { rows } = await client.query<{ acquired: boolean }>(
          'select pg_try_advisory_lock(hashtext($1)) as acquired',
          [lock],
        );
        if (!rows[0]?.acquired) return { ran: false };
        try {
          return { ran: true, value: await fn() };
        } finally {
          await client.query('select pg_advisory_unlock(hashtext($1))', [lock]).catch(() => undefined);
        }
      } finally {
        await client.end().catch(() => undefined);
      }
    },
    async close() {
      closed = true;
      listeners.clear();
      await stopListening();
    },
  };
}
