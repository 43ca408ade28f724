// Which store to open: one typed union, built once by the CLI (or an embedder) and passed straight through
// LocalKms to openStore. Must not import service or api; each database's settings are declared by its opener.
import { join } from 'node:path';
import { ValidationError } from '@custos/contract';
import { openPostgresStore, type PostgresStoreOptions } from './postgres.js';
import { openSqliteStore } from './sqlite.js';
import type { Store } from './store.js';

/** The SQLite store's file name in a data directory. */
const SQLITE_FILE = 'custos.db';

/**
 * The store: embedded SQLite (one node; the default) or PostgreSQL (many nodes on one database).
 * @example const options: StoreOptions = { kind: 'postgres', url: 'postgres://custos@db/custos', schema: 'custos' };
 */
export type StoreOptions =
  | {
      readonly kind: 'sqlite';
      /** The database file; default `<dataDir>/custos.db`. */
      readonly path?: string;
    }
  | ({
      readonly kind: 'postgres';
      /** A libpq-style connection string. */
      readonly url: string;
    } & Omit<PostgresStoreOptions, 'migrate'>);

/** The SQLite file `options` selects in `dataDir`; undefined for PostgreSQL. */
export function sqliteFile(options: StoreOptions, dataDir: string): string | undefined {
  return options.kind === 'sqlite' ? (options.path ?? join(dataDir, SQLITE_FILE)) : undefined;
}

/**
 * Opens the store `options` selects (a SQLite file defaults to `<dataDir>/custos.db`) and, unless `migrate` is
 * false, migrates it to the latest schema. With `lock`, a SQLite store is opened only if no other process holds it
 * (see data-dir-lock.ts); PostgreSQL stores are shared by design and ignore it.
 * @example const store = await openStore({ kind: 'sqlite' }, { dataDir: './data' });
 */
export async function openStore(
  options: StoreOptions,
  at: { readonly dataDir: string; readonly migrate?: boolean; readonly lock?: boolean | { readonly join: string } },
): Promise<Store> {
  const migrate = at.migrate ?? true;
  const file = sqliteFile(options, at.dataDir);
  if (file !== undefined) return openSqliteStore(file, { migrate, lock: at.lock ?? false });
  if (options.kind !== 'postgres') throw new ValidationError(`unknown store kind: ${JSON.stringify(options.kind)}`);
  return openPostgresStore(options.url, {
    migrate,
    ...(options.schema !== undefined ? { schema: options.schema } : {}),
    ...(options.poolSize !== undefined ? { poolSize: options.poolSize } : {}),
    ...(options.connectionTimeoutMs !== undefined ? { connectionTimeoutMs: options.connectionTimeoutMs } : {}),
    ...(options.statementTimeoutMs !== undefined ? { statementTimeoutMs: options.statementTimeoutMs } : {}),
  });
}
