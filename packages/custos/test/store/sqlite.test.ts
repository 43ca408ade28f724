// Runs the store contract on a temporary SQLite file, plus what only SQLite has: pragmas, file mode, migrations.
// Must not import service or api.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqliteDriver } from '../../src/store/sqlite-driver.js';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  appliedMigrations,
  integrity,
  keys,
  meta,
  migrateTo,
  migrateToLatest,
  MIGRATIONS,
  openSqliteStore,
  type Database,
  type Store,
  RowIntegrityError,
} from '../../src/store/index.js';
import { keyRecord } from '../helpers/key-records.js';
import { describeStore } from './store-suite.js';
import { insertLegacyKeyRow, legacyKeyRecord, withRowKey } from '../helpers/row-key.js';

const SqliteDatabase = sqliteDriver();

describeStore('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'custos-store-'));
  const store = withRowKey(await openSqliteStore(join(dir, 'custos.db')));
  return {
    store,
    async cleanup() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('sqlite store', () => {
  let dir: string;
  const opened: Store[] = [];
  const open = async (file = join(dir, 'custos.db')) => {
    const store = withRowKey(await openSqliteStore(file));
    opened.push(store);
    return store;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'custos-sqlite-'));
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function pragma(store: Store, name: string): Promise<unknown> {
    const { rows } = await sql.raw<Record<string, unknown>>(`pragma ${name}`).execute(store.db);
    return Object.values(rows[0] ?? {})[0];
  }

  it('sets WAL, synchronous=FULL, foreign_keys=ON and busy_timeout=5000', async () => {
    const store = await open();
    expect(await pragma(store, 'journal_mode')).toBe('wal');
    expect(await pragma(store, 'synchronous')).toBe(2); // FULL
    expect(await pragma(store, 'foreign_keys')).toBe(1);
    expect(await pragma(store, 'busy_timeout')).toBe(5000);
    expect(store.dialect).toBe('sqlite');
  });

  it('creates a missing directory and makes the database file mode 0600', async () => {
    const file = join(dir, 'nested', 'deeper', 'custos.db');
    const store = await open(file);
    await keys.insert(store.db, keyRecord());
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'nested', 'deeper'))).isDirectory()).toBe(true);
    expect((await stat(`${file}-wal`)).mode & 0o777).toBe(0o600);
  });

  it('keeps data across close and reopen', async () => {
    const store = await open();
    const key = keyRecord({ description: 'durable' });
    await keys.insert(store.db, key);
    await meta.set(store.db, 'k', 'v');
    await store.close();
    await store.close(); // closing twice is harmless

    const reopened = await open();
    expect(await keys.get(reopened.db, key.id)).toEqual(key);
    expect(await meta.get(reopened.db, 'k')).toBe('v');
  });

  it('opens an in-memory store', async () => {
    const store = await open(':memory:');
    const key = keyRecord();
    await keys.insert(store.db, key);
    expect(await keys.get(store.db, key.id)).toEqual(key);
  });

  it('migrates a store from an older schema, keeping its data', async () => {
    const file = join(dir, 'old.db');
    const old = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SqliteDatabase(file) }) });
    expect(await migrateTo(old, 'sqlite', '001-initial')).toEqual(['001-initial']);
    const key = legacyKeyRecord(randomUUID(), new Date('2025-01-02T03:04:05Z'));
    await insertLegacyKeyRow(old, key.id, key.createdAt);
    const indexesBefore = await indexNames(old);
    expect(indexesBefore).not.toContain('audit_log_key_id_idx');
    await old.destroy();

    const store = await open(file);
    // Migrated, but not yet authenticated: the row is refused until the service establishes its MAC.
    await expect(keys.get(store.db, key.id)).rejects.toBeInstanceOf(RowIntegrityError);
    await store.transaction((tx) => integrity.establishRowMacs(tx, (digest) => digest));
    expect(await keys.get(store.db, key.id)).toEqual(key);
    expect(await appliedMigrations(store.db)).toEqual(MIGRATIONS.map((m) => m.name));
    const indexes = await indexNames(store.db);
    expect(indexes).toContain('audit_log_key_id_idx');
    expect(indexes).toContain('keys_state_idx');
  });

  it('migrateToLatest on an up-to-date store is a no-op', async () => {
    const store = await open();
    const before = await sql<{
      name: string;
      applied_at: number;
    }>`select * from custos_migrations order by name`.execute(store.db);
    expect(before.rows.map((r) => r.name)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(await migrateToLatest(store.db, 'sqlite')).toEqual([]);
    expect(await migrateToLatest(store.db, 'sqlite')).toEqual([]);
    const after = await sql`select * from custos_migrations order by name`.execute(store.db);
    expect(after.rows).toEqual(before.rows);
  });

  it('refuses to open a store migrated by a newer version', async () => {
    const store = await open();
    await sql`insert into custos_migrations (name, applied_at) values ('999-future', 0)`.execute(store.db);
    await store.close();
    await expect(openSqliteStore(join(dir, 'custos.db'))).rejects.toThrow(/999-future/);
  });

  it('migrate: false leaves a new database empty; meta.peek reads nothing there without failing', async () => {
    const store = withRowKey(await openSqliteStore(join(dir, 'empty.db'), { migrate: false }));
    opened.push(store);
    expect(await meta.peek(store.db, 'root')).toBeUndefined();
    const { rows } = await sql`select name from sqlite_master`.execute(store.db);
    expect(rows).toEqual([]);
    expect(await migrateToLatest(store.db, 'sqlite')).toEqual(MIGRATIONS.map((m) => m.name));
    await meta.set(store.db, 'root', 'x');
    expect(await meta.peek(store.db, 'root')).toBe('x');
  });

  it('migrateTo rejects an unknown migration name', async () => {
    const store = await open();
    await expect(migrateTo(store.db, 'sqlite', '042-nope')).rejects.toThrow(/unknown migration/);
  });
});

async function indexNames(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from sqlite_master where type = 'index'`.execute(db);
  return rows.map((r) => r.name);
}
