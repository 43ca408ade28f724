// Runs the store's migrations in order, each recorded in `custos_migrations` (name, applied_at).
// Must not import service or api. Migrations are imported statically: no directory scanning at run time.
import { sql, type Kysely } from 'kysely';
import type { AnyKysely, StoreDialect } from '../dialect.js';
import * as m001 from './001-initial.js';
import * as m002 from './002-audit-indexes.js';
import * as m003 from './003-tokens.js';
import * as m004 from './004-access-keys.js';
import * as m005 from './005-untrusted-storage.js';
import * as m006 from './006-hsm-keys.js';
import * as m007 from './007-custom-key-stores.js';
import * as m008 from './008-root-rotation.js';
import * as m009 from './009-certificates.js';
import * as m010 from './010-publish-jwk.js';
import * as m011 from './011-attestation.js';
import * as m012 from './012-keyrings.js';
import * as m013 from './013-principal-tags.js';
import * as m014 from './014-grants.js';
import * as m015 from './015-key-pins.js';
import * as m016 from './016-key-usage.js';
import * as m017 from './017-public-key-only.js';
import * as m018 from './018-key-listing.js';
import * as m019 from './019-key-changes.js';

export interface Migration {
  readonly name: string;
  readonly up: (db: Kysely<unknown>, dialect: StoreDialect) => Promise<void>;
}

/** Every migration, oldest first. Append only: a released migration is never edited or removed. */
export const MIGRATIONS: readonly Migration[] = [
  { name: '001-initial', up: m001.up },
  { name: '002-audit-indexes', up: m002.up },
  { name: '003-tokens', up: m003.up },
  { name: '004-access-keys', up: m004.up },
  { name: '005-untrusted-storage', up: m005.up },
  { name: '006-hsm-keys', up: m006.up },
  { name: '007-custom-key-stores', up: m007.up },
  { name: '008-root-rotation', up: m008.up },
  { name: '009-certificates', up: m009.up },
  { name: '010-publish-jwk', up: m010.up },
  { name: '011-attestation', up: m011.up },
  { name: '012-keyrings', up: m012.up },
  { name: '013-principal-tags', up: m013.up },
  { name: '014-grants', up: m014.up },
  { name: '015-key-pins', up: m015.up },
  { name: '016-key-usage', up: m016.up },
  { name: '017-public-key-only', up: m017.up },
  { name: '018-key-listing', up: m018.up },
  { name: '019-key-changes', up: m019.up },
];

const TABLE = 'custos_migrations';
/**
 * PostgreSQL advisory lock (class, object) under which nodes starting together migrate one at a
 * time: a constant class ('cust') and, as object, a hash of the schema the tables go to, so stores in
 * different schemas of one database (tests, several deployments) do not wait for each other.
 * Never change it: nodes of different versions starting together must take the same lock.
 */
const PG_LOCK_CLASS = 0x63757374; // 'cust'

/** Applies every pending migration; returns the names applied (empty when already up to date). */
export async function migrateToLatest(db: AnyKysely, dialect: StoreDialect): Promise<string[]> {
  const last = MIGRATIONS[MIGRATIONS.length - 1];
  return last ? migrateTo(db, dialect, last.name) : [];
}

/**
 * Runs `fn` in one transaction holding the migration lock: on PostgreSQL a transaction-level
 * advisory lock per schema, so nodes starting together take turns (released at commit or rollback); on
 * SQLite the transaction's own write lock serves (one process owns the file). On PostgreSQL the
 * transaction runs without statement timeout.
 */
export async function withMigrationLock<T>(
  db: AnyKysely,
  dialect: StoreDialect,
  fn: (tx: AnyKysely) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (tx) => {
    if (dialect === 'postgres') {
      // Waiting for another node's migration, or building an index, may outlast a statementTimeoutMs meant for requests.
      await sql`set local statement_timeout = 0`.execute(tx);
      await sql`select pg_advisory_xact_lock(${PG_LOCK_CLASS}::int4, hashtext(coalesce(current_schema(), '')))`.execute(
        tx,
      );
    }
    return fn(tx);
  });
}

/**
 * Applies pending migrations up to and including `target`, in one transaction (DDL is
 * transactional on SQLite and PostgreSQL, so a failure leaves the schema as it was).
 * The migrations table is created and read only once the migration lock is held, so on
 * PostgreSQL a node that waited for another sees what that node applied and applies nothing twice.
 * Throws if the database records a migration this build does not know (a newer Custos wrote it).
 * @example await migrateTo(db, 'sqlite', '001-initial');
 */
export async function migrateTo(db: AnyKysely, dialect: StoreDialect, target: string): Promise<string[]> {
  const targetIndex = MIGRATIONS.findIndex((m) => m.name === target);
  if (targetIndex < 0) throw new Error(`unknown migration: ${target}`);

  return withMigrationLock(db, dialect, async (tx) => {
    // Inside the lock: concurrent CREATE TABLE IF NOT EXISTS can fail on PostgreSQL (pg_type unique violation).
    await tx.schema
      .createTable(TABLE)
      .ifNotExists()
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('applied_at', dialect === 'postgres' ? 'bigint' : 'integer', (c) => c.notNull())
      .execute();
    const rows: { name: string }[] = await tx.selectFrom(TABLE).select('name').execute();
    const applied = new Set(rows.map((r) => r.name));
    const unknown = [...applied].filter((name) => !MIGRATIONS.some((m) => m.name === name));
    if (unknown.length > 0) {
      throw new Error(`the database has migrations this version does not know: ${unknown.join(', ')}`);
    }
    const done: string[] = [];
    for (const migration of MIGRATIONS.slice(0, targetIndex + 1)) {
      if (applied.has(migration.name)) continue;
      // Migrations see Kysely<unknown> (STYLE §6: they must not lean on today's schema types).
      await migration.up(tx, dialect);
      await tx.insertInto(TABLE).values({ name: migration.name, applied_at: Date.now() }).execute();
      done.push(migration.name);
    }
    return done;
  });
}

/** Names of the migrations the database has applied, oldest first. */
export async function appliedMigrations(db: AnyKysely): Promise<string[]> {
  const rows: { name: string }[] = await db.selectFrom(TABLE).select('name').orderBy('name').execute();
  return rows.map((r) => r.name);
}
