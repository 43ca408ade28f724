// Which SQL dialect a Kysely handle talks to, and the few driver differences repositories must know.
// Must not import service or api.
import { InternalError } from '@custos/contract';
import { PostgresAdapter, SqliteAdapter, sql, type Kysely } from 'kysely';

export type StoreDialect = 'sqlite' | 'postgres';

/**
 * A handle on a database of any schema: Kysely's table types are invariant, so only `Kysely<any>` accepts both the
 * store's `Kysely<Database>` and a handle on tables the code names at run time (migrations, paging, probes).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the one `any` of the store, named and explained once
export type AnyKysely = Kysely<any>;

/** The dialect behind a handle (the root db or a transaction), read from Kysely's adapter. */
export function dialectOf(db: AnyKysely): StoreDialect {
  const adapter = db.getExecutor().adapter;
  if (adapter instanceof PostgresAdapter) return 'postgres';
  if (adapter instanceof SqliteAdapter) return 'sqlite';
  throw new Error(`unsupported Kysely adapter: ${adapter.constructor.name}`);
}

/**
 * True when `err` is a unique or primary-key violation: better-sqlite3's SQLITE_CONSTRAINT_UNIQUE /
 * SQLITE_CONSTRAINT_PRIMARYKEY, or PostgreSQL's SQLSTATE 23505 (unique_violation).
 */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

/**
 * Whether the table exists (on PostgreSQL: is visible through the connection's search_path). Reads only,
 * so it can tell an empty database from an initialised one before anything is migrated.
 */
export async function tableExists(db: AnyKysely, table: string): Promise<boolean> {
  const { rows } =
    dialectOf(db) === 'postgres'
      ? await sql<{ found: boolean }>`select to_regclass(${table}) is not null as found`.execute(db)
      : await sql<{
          found: number;
        }>`select count(*) as found from sqlite_master where type = 'table' and name = ${table}`.execute(db);
  return Boolean(rows[0]?.found);
}

/**
 * Serialises transactions that take the same named lock, until the transaction ends: on PostgreSQL a
 * transaction-level advisory lock (nodes sharing the database wait for each other); on SQLite nothing
 * to do, as the transaction holds the store's only connection. For check-then-insert work with no row
 * to lock, such as "create the first admin token unless one exists". Must run inside a transaction.
 * @example await store.transaction(async (tx) => { await lockInTransaction(tx, 'bootstrap-token'); ... });
 */
export async function lockInTransaction(db: AnyKysely, name: string): Promise<void> {
  if (!db.isTransaction) throw new InternalError(`lock ${name} must be taken inside a transaction`);
  if (dialectOf(db) === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${`custos:${name}`}))`.execute(db);
}

/**
 * Node errors meaning the database could not be reached or the connection broke, or that the disk is full (ENOSPC,
 * EDQUOT: a write fails until space is freed; nothing was written, so a retry later succeeds).
 */
const UNAVAILABLE_ERRNO = new Set([
  'ENOSPC',
  'EDQUOT',
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/**
 * SQLSTATEs of a server going away: admin_shutdown, crash_shutdown, cannot_connect_now (class 08 is checked apart);
 * and of its disk being full: disk_full (53100).
 */
const UNAVAILABLE_SQLSTATE = new Set(['57P01', '57P02', '57P03', '53100']);
/**
 * better-sqlite3's codes for a disk that is full (SQLITE_FULL: SQLite has rolled the transaction back, nothing was
 * written) — the embedded store's only way of being "unavailable".
 */
const UNAVAILABLE_SQLITE = new Set(['SQLITE_FULL']);
/** pg's own messages for a broken or unobtainable connection (they carry no code). */
const UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly|the database system is (starting up|shutting down)/i;

/**
 * True when `err` says the database is unreachable or the connection was lost (server down or restarting,
 * failover, network, pool connection timeout), or that its disk is full, rather than that the request itself is
 * wrong: the one place
 * that decides which store failures callers see as UNAVAILABLE (retryable) instead of INTERNAL. Looks through
 * `cause` and AggregateError's `errors` (Node's connect to every address of a host).
 */
export function isUnavailable(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 4) return false;
  const { code, message, cause, errors } = err as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (
    typeof code === 'string' &&
    (UNAVAILABLE_ERRNO.has(code) ||
      UNAVAILABLE_SQLSTATE.has(code) ||
      UNAVAILABLE_SQLITE.has(code) ||
      /^08[0-9A-Z]{3}$/.test(code))
  )
    return true;
  if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message)) return true;
  if (Array.isArray(errors) && errors.some((inner) => isUnavailable(inner, depth + 1))) return true;
  return isUnavailable(cause, depth + 1);
}
