// Which SQL dialect a Kysely handle talks to, and the few driver differences repositories must know.
// Must not import service or api.
import { PostgresAdapter, SqliteAdapter, type Kysely } from 'kysely';

export type StoreDialect = 'sqlite' | 'postgres';

/** The dialect behind a handle (the root db or a transaction), read from Kysely's adapter. */
export function dialectOf(db: Kysely<any>): StoreDialect {
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
