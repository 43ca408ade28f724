// Runs the store contract on PostgreSQL (one throwaway schema per test), plus what only PostgreSQL has: the pool,
// search_path, int8 parsing, column types, concurrent migrations, and concurrency across connections and nodes.
// Skipped loudly when no server is reachable. Must not import api (audit appends go through the service's chain).
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import {
  appliedMigrations,
  integrity,
  isUniqueViolation,
  keys,
  keyVersions,
  meta,
  migrateTo,
  migrateToLatest,
  MIGRATIONS,
  openPostgresStore,
  type Db,
  type PostgresStoreOptions,
  type Store,
  RowIntegrityError,
} from '../../src/store/index.js';
import * as auditLog from '../../src/service/audit/audit-log.js';
import { describePostgres, dropSchema, PG_URL, testSchemaName } from './pg.js';
import { keyRecord } from '../helpers/key-records.js';
import { describeStore } from './store-suite.js';
import { insertLegacyKeyRow, legacyKeyRecord, withRowKey } from '../helpers/row-key.js';
import { TEST_CHAIN_KEY } from '../helpers/audit.js';

const describePg = describePostgres('PostgreSQL store tests');

describePg('postgres', () => {
  describeStore('postgres', async () => {
    const schema = testSchemaName();
    const store = withRowKey(await openPostgresStore(PG_URL, { schema }));
    return {
      store,
      async cleanup() {
        await store.close();
        await dropSchema(schema);
      },
    };
  });
});

/** Resolves once `n` callers have arrived: holds `n` connections busy at the same time. */
function barrier(n: number): () => Promise<void> {
  let arrived = 0;
  let release!: () => void;
  const all = new Promise<void>((resolve) => (release = resolve));
  return () => {
    arrived++;
    if (arrived === n) release();
    return all;
  };
}

const backendPid = async (db: Db): Promise<number> =>
  (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db)).rows[0]!.pid;

const migrationNames = MIGRATIONS.map((m) => m.name);

describePg('postgres store', () => {
  const schemas: string[] = [];
  const opened: Store[] = [];
  const newSchema = (): string => {
    const schema = testSchemaName();
    schemas.push(schema);
    return schema;
  };
  const open = async (schema: string, options: Omit<PostgresStoreOptions, 'schema'> = {}): Promise<Store> => {
    const store = withRowKey(await openPostgresStore(PG_URL, { schema, ...options }));
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    for (const schema of schemas.splice(0)) await dropSchema(schema);
  });

  describe('opening', () => {
    it('creates the schema and its tables there, and reports the postgres dialect', async () => {
      const schema = newSchema();
      const store = await open(schema);
      expect(store.dialect).toBe('postgres');
      const { rows } = await sql<{ table_name: string }>`
        select table_name from information_schema.tables where table_schema = ${schema} order by table_name`.execute(
        store.db,
      );
      expect(rows.map((r) => r.table_name)).toEqual(
        expect.arrayContaining([
          'aliases',
          'audit_log',
          'custos_migrations',
          'import_tokens',
          'key_tags',
          'key_versions',
          'keys',
          'meta',
        ]),
      );
      expect(await appliedMigrations(store.db)).toEqual(migrationNames);
    });

    it('sets search_path on every pooled connection', async () => {
      const schema = newSchema();
      const store = await open(schema, { poolSize: 10 });
      const arrive = barrier(10);
      const seen = await Promise.all(
        Array.from({ length: 10 }, () =>
          store.transaction(async (tx) => {
            const { rows } = await sql<{
              schema: string;
              pid: number;
            }>`select current_schema() as schema, pg_backend_pid() as pid`.execute(tx);
            await arrive();
            return rows[0]!;
          }),
        ),
      );
      expect(new Set(seen.map((s) => s.pid)).size).toBe(10);
      expect(new Set(seen.map((s) => s.schema))).toEqual(new Set([schema]));
    });

    it('uses its schema even when the URL sets a search_path of its own through options', async () => {
      const schema = newSchema();
      const url = new URL(PG_URL);
      url.searchParams.set('options', '-c search_path=public');
      const store = withRowKey(await openPostgresStore(url.toString(), { schema }));
      opened.push(store);
      expect((await sql<{ s: string }>`select current_schema() as s`.execute(store.db)).rows[0]?.s).toBe(schema);
      expect(await appliedMigrations(store.db)).toEqual(migrationNames);
    });

    it('stores in different schemas of one database are independent', async () => {
      const a = await open(newSchema());
      const b = await open(newSchema());
      const key = keyRecord();
      await keys.insert(a.db, key);
      await meta.set(a.db, 'k', 'a');
      expect(await keys.get(b.db, key.id)).toBeUndefined();
      expect(await meta.get(b.db, 'k')).toBeUndefined();
    });

    it('rejects an unsafe schema name and an invalid pool size without connecting', async () => {
      await expect(openPostgresStore(PG_URL, { schema: 'x; drop table keys' })).rejects.toThrow(/schema name/);
      await expect(openPostgresStore(PG_URL, { schema: '1abc' })).rejects.toThrow(/schema name/);
      await expect(openPostgresStore(PG_URL, { poolSize: 0 })).rejects.toThrow(/pool size/);
    });

    it('fails to open when the server refuses the connection', async () => {
      await expect(
        openPostgresStore('postgres://postgres@127.0.0.1:1/test', { connectionTimeoutMs: 2000 }),
      ).rejects.toThrow();
    });

    it('close ends the pool; closing twice is harmless', async () => {
      const store = withRowKey(await openPostgresStore(PG_URL, { schema: newSchema() }));
      await store.close();
      await store.close();
      await expect(keys.get(store.db, randomUUID())).rejects.toThrow();
    });

    it('statementTimeoutMs cancels a statement that runs too long (SQLSTATE 57014)', async () => {
      const store = await open(newSchema(), { statementTimeoutMs: 100 });
      const err = await sql`select pg_sleep(2)`.execute(store.db).catch((e: unknown) => e);
      expect((err as { code?: string }).code).toBe('57014');
      expect(await meta.get(store.db, 'k')).toBeUndefined(); // the pool still works
    });

    it('connectionTimeoutMs bounds the wait for a pooled connection', async () => {
      const store = await open(newSchema(), { poolSize: 1, connectionTimeoutMs: 200 });
      let release!: () => void;
      const held = store.transaction(() => new Promise<void>((resolve) => (release = resolve)));
      await new Promise((resolve) => setTimeout(resolve, 50));
      await expect(meta.get(store.db, 'k')).rejects.toThrow(/timeout/i);
      release();
      await held;
      expect(await meta.get(store.db, 'k')).toBeUndefined();
    });
  });

  describe('values', () => {
    it("BIGINT arrives as a number (this pool only: pg's global int8 parser is unchanged)", async () => {
      const store = await open(newSchema());
      const { rows } = await sql<{
        big: unknown;
        count: unknown;
      }>`select 8640000000000000::bigint as big, count(*) as count from keys`.execute(store.db);
      expect(rows[0]).toEqual({ big: 8_640_000_000_000_000, count: 0 });
      expect(pg.types.getTypeParser(pg.types.builtins.INT8, 'text')('42')).toBe('42');
    });

    it('a BIGINT beyond 2^53 fails loudly instead of losing precision, and the connection stays usable', async () => {
      const store = await open(newSchema(), { poolSize: 1 });
      await expect(sql`select 9007199254740993::bigint as n`.execute(store.db)).rejects.toThrow(RangeError);
      expect((await sql<{ n: number }>`select 9007199254740991::bigint as n`.execute(store.db)).rows[0]?.n).toBe(
        Number.MAX_SAFE_INTEGER,
      );
    });

    it('times far from the epoch and large counters round-trip exactly', async () => {
      const store = await open(newSchema());
      const key = keyRecord({
        createdAt: new Date(8_640_000_000_000_000),
        updatedAt: new Date(-8_640_000_000_000_000),
        maxUses: Number.MAX_SAFE_INTEGER,
        useCount: 2 ** 40,
      });
      await keys.insert(store.db, key);
      expect(await keys.get(store.db, key.id)).toEqual(key);
    });

    it('BYTEA round-trips every byte value as a plain Uint8Array', async () => {
      const store = await open(newSchema());
      const key = keyRecord();
      await keys.insert(store.db, key);
      const all = Uint8Array.from({ length: 256 }, (_, i) => i);
      await keyVersions.insert(store.db, {
        keyId: key.id,
        version: 1,
        wrappedMaterial: all,
        publicKey: new Uint8Array(0),
        createdAt: new Date(0),
        rotationType: null,
        encryptionCount: 0,
        materialCheck: null,
      });
      const read = await keyVersions.get(store.db, key.id, 1);
      expect(read?.wrappedMaterial).toEqual(all);
      expect(read?.wrappedMaterial?.constructor).toBe(Uint8Array);
      expect(read?.publicKey).toEqual(new Uint8Array(0));
      expect(read?.publicKey?.constructor).toBe(Uint8Array);
    });
  });

  describe('migrations', () => {
    it('give PostgreSQL types: BIGINT times and counters, BYTEA, SMALLINT flags, identity audit seq', async () => {
      const schema = newSchema();
      const store = await open(schema);
      const { rows } = await sql<{
        table_name: string;
        column_name: string;
        data_type: string;
        is_identity: string;
        identity_generation: string | null;
      }>`
        select table_name, column_name, data_type, is_identity, identity_generation
        from information_schema.columns where table_schema = ${schema}`.execute(store.db);
      const type = (table: string, column: string) =>
        rows.find((r) => r.table_name === table && r.column_name === column)?.data_type;
      for (const column of [
        'created_at',
        'updated_at',
        'deletion_date',
        'next_rotation_at',
        'not_before',
        'not_after',
        'max_uses',
        'use_count',
        'material_expires_at',
      ]) {
        expect(type('keys', column), `keys.${column}`).toBe('bigint');
      }
      expect(type('keys', 'exportable')).toBe('smallint');
      expect(type('keys', 'rotation_enabled')).toBe('smallint');
      expect(type('keys', 'latest_version')).toBe('integer');
      expect(type('key_versions', 'wrapped_material')).toBe('bytea');
      expect(type('key_versions', 'public_key')).toBe('bytea');
      expect(type('key_versions', 'encryption_count')).toBe('bigint');
      expect(type('import_tokens', 'wrapped_private_key')).toBe('bytea');
      expect(type('import_tokens', 'expires_at')).toBe('bigint');
      expect(type('aliases', 'created_at')).toBe('bigint');
      expect(type('audit_log', 'time')).toBe('bigint');
      expect(type('custos_migrations', 'applied_at')).toBe('bigint');
      const seq = rows.find((r) => r.table_name === 'audit_log' && r.column_name === 'seq');
      expect(seq).toMatchObject({ data_type: 'bigint', is_identity: 'YES', identity_generation: 'ALWAYS' });
      // Times are milliseconds since the epoch: a 32-bit column would overflow in 1970.
      for (const column of ['created_at', 'expires_at', 'revoked_at', 'last_used_at']) {
        expect(type('api_tokens', column), `api_tokens.${column}`).toBe('bigint');
      }
      for (const column of ['created_at', 'revoked_at', 'last_used_at']) {
        expect(type('access_keys', column), `access_keys.${column}`).toBe('bigint');
      }
      // No column of ours is of a type the mappers do not expect.
      const allowed = new Set(['text', 'bigint', 'integer', 'smallint', 'bytea']);
      expect(
        rows.filter((r) => !allowed.has(r.data_type)).map((r) => `${r.table_name}.${r.column_name}: ${r.data_type}`),
      ).toEqual([]);
    });

    it('four nodes opening an empty database together all succeed and each migration is applied once', async () => {
      const schema = newSchema();
      const stores = await Promise.all(Array.from({ length: 4 }, () => open(schema, { poolSize: 2 })));
      const { rows } = await sql<{ name: string; n: number }>`
        select name, count(*) as n from custos_migrations group by name order by name`.execute(stores[0]!.db);
      expect(rows).toEqual(migrationNames.map((name) => ({ name, n: 1 })));
      for (const store of stores) expect(await appliedMigrations(store.db)).toEqual(migrationNames);
    });

    it('concurrent migrateToLatest calls apply every migration exactly once between them', async () => {
      const schema = newSchema();
      const stores = await Promise.all(Array.from({ length: 4 }, () => open(schema, { poolSize: 1, migrate: false })));
      const applied = await Promise.all(stores.map((s) => migrateToLatest(s.db, 'postgres')));
      expect(applied.flat().sort()).toEqual(migrationNames);
      expect(applied.filter((a) => a.length > 0)).toHaveLength(1);
    });

    it('migrate: false leaves an empty schema empty; meta.peek reads nothing there without failing', async () => {
      const schema = newSchema();
      const other = await open(newSchema());
      await meta.set(other.db, 'root', 'x'); // a migrated store in another schema is not seen
      const store = await open(schema, { migrate: false });
      expect(await meta.peek(store.db, 'root')).toBeUndefined();
      const { rows } = await sql`select 1 from information_schema.tables where table_schema = ${schema}`.execute(
        store.db,
      );
      expect(rows).toEqual([]);
      expect(await meta.peek(other.db, 'root')).toBe('x');
    });

    it('migrates a store from an older schema, keeping its data', async () => {
      const schema = newSchema();
      const old = await open(schema, { migrate: false });
      expect(await migrateTo(old.db, 'postgres', '001-initial')).toEqual(['001-initial']);
      const key = legacyKeyRecord(randomUUID(), new Date('2025-01-02T03:04:05Z'));
      await insertLegacyKeyRow(old.db, key.id, key.createdAt);
      const store = await open(schema);
      // Migrated, but not yet authenticated: the row is refused until the service establishes its MAC.
      await expect(keys.get(store.db, key.id)).rejects.toBeInstanceOf(RowIntegrityError);
      await store.transaction((tx) => integrity.establishRowMacs(tx, (digest) => digest));
      expect(await keys.get(store.db, key.id)).toEqual(key);
      expect(await appliedMigrations(store.db)).toEqual(migrationNames);
      const { rows } = await sql<{
        indexname: string;
      }>`select indexname from pg_indexes where schemaname = ${schema}`.execute(store.db);
      expect(rows.map((r) => r.indexname)).toEqual(expect.arrayContaining(['audit_log_key_id_idx', 'keys_state_idx']));
      expect(await migrateToLatest(store.db, 'postgres')).toEqual([]);
    });

    it('refuses to open a store migrated by a newer version', async () => {
      const schema = newSchema();
      const store = await open(schema);
      await sql`insert into custos_migrations (name, applied_at) values ('999-future', 0)`.execute(store.db);
      await expect(openPostgresStore(PG_URL, { schema })).rejects.toThrow(/999-future/);
    });
  });

  describe('concurrency across connections and nodes', () => {
    it('incrementUseCount is exact under 50 concurrent transactions on a pool of 10', async () => {
      const store = await open(newSchema(), { poolSize: 10 });
      const key = keyRecord({ maxUses: 17 });
      await keys.insert(store.db, key);
      const pids = new Set<number>();
      const results = await Promise.all(
        Array.from({ length: 50 }, () =>
          store.transaction(async (tx) => {
            pids.add(await backendPid(tx));
            return keys.incrementUseCount(tx, key.id, 17);
          }),
        ),
      );
      expect(pids.size).toBeGreaterThan(1);
      expect(results.filter(Boolean)).toHaveLength(17);
      expect((await keys.get(store.db, key.id))?.useCount).toBe(17);
    });

    it('incrementUseCount is exact when two nodes (two pools) race', async () => {
      const schema = newSchema();
      const [a, b] = [await open(schema), await open(schema)];
      const key = keyRecord({ maxUses: 23 });
      await keys.insert(a.db, key);
      const results = await Promise.all(
        Array.from({ length: 60 }, (_, i) => keys.incrementUseCount((i % 2 === 0 ? a : b).db, key.id, null)),
      );
      expect(results.filter(Boolean)).toHaveLength(23);
      expect((await keys.get(b.db, key.id))?.useCount).toBe(23);
    });

    it('20 concurrent audit appends from different connections keep one unbroken chain', async () => {
      const store = await open(newSchema(), { poolSize: 10 });
      const pids = new Set<number>();
      const records = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.transaction(async (tx) => {
            pids.add(await backendPid(tx));
            return auditLog.append(tx, entry(i), TEST_CHAIN_KEY);
          }),
        ),
      );
      expect(pids.size).toBeGreaterThan(1);
      expect(await auditLog.verifyChain(store.db, TEST_CHAIN_KEY)).toEqual({ ok: true, count: 20 });
      const bySeq = [...records].sort((x, y) => x.seq - y.seq);
      for (let i = 1; i < bySeq.length; i++) expect(bySeq[i]!.prevHash).toBe(bySeq[i - 1]!.hash);
    });

    it('audit appends from two nodes, singly and in batches, keep one unbroken chain', async () => {
      const schema = newSchema();
      const [a, b] = [await open(schema, { poolSize: 5 }), await open(schema, { poolSize: 5 })];
      await Promise.all(
        Array.from({ length: 16 }, (_, i) => {
          const node = i % 2 === 0 ? a : b;
          return node.transaction(async (tx) => {
            if (i % 4 < 2) await auditLog.append(tx, entry(i), TEST_CHAIN_KEY);
            else await auditLog.appendMany(tx, [entry(i), entry(i + 100)], TEST_CHAIN_KEY);
          });
        }),
      );
      expect(await auditLog.verifyChain(a.db, TEST_CHAIN_KEY)).toEqual({ ok: true, count: 24 });
    });

    it('two transactions inserting the same key version: one wins, the other gets a unique violation', async () => {
      const store = await open(newSchema());
      const key = keyRecord();
      await keys.insert(store.db, key);
      const version = (n: number) => ({
        keyId: key.id,
        version: 2,
        wrappedMaterial: new Uint8Array([n]),
        publicKey: null,
        createdAt: new Date(0),
        rotationType: 'ON_DEMAND' as const,
        encryptionCount: 0,
        materialCheck: null,
      });
      let firstInserted!: () => void;
      const inserted = new Promise<void>((resolve) => (firstInserted = resolve));
      let commitFirst!: () => void;
      const mayCommit = new Promise<void>((resolve) => (commitFirst = resolve));

      const first = store.transaction(async (tx) => {
        await keyVersions.insert(tx, version(1));
        firstInserted();
        await mayCommit;
      });
      await inserted;
      // The second insert blocks on the first's uncommitted row, then fails once the first commits.
      const second = store.transaction((tx) => keyVersions.insert(tx, version(2))).catch((e: unknown) => e);
      await new Promise((resolve) => setTimeout(resolve, 100));
      commitFirst();
      await first;
      const err = await second;
      expect(isUniqueViolation(err)).toBe(true);
      expect((await keyVersions.get(store.db, key.id, 2))?.wrappedMaterial).toEqual(new Uint8Array([1]));
    });

    it('meta.setIfAbsent racing on two connections: both see the first value committed', async () => {
      const store = await open(newSchema());
      let firstSet!: () => void;
      const set = new Promise<void>((resolve) => (firstSet = resolve));
      let commitFirst!: () => void;
      const mayCommit = new Promise<void>((resolve) => (commitFirst = resolve));
      const first = store.transaction(async (tx) => {
        const value = await meta.setIfAbsent(tx, 'root', 'first');
        firstSet();
        await mayCommit;
        return value;
      });
      await set;
      const second = store.transaction((tx) => meta.setIfAbsent(tx, 'root', 'second'));
      await new Promise((resolve) => setTimeout(resolve, 100));
      commitFirst();
      expect(await Promise.all([first, second])).toEqual(['first', 'first']);
      expect(await meta.get(store.db, 'root')).toBe('first');
    });
  });
});

function entry(i: number) {
  return {
    time: new Date(Date.UTC(2025, 0, 1) + i),
    principal: `p${i % 3}`,
    operation: 'Encrypt',
    keyId: null,
    keyVersion: null,
    outcome: 'allowed' as const,
    errorCode: null,
    requestId: randomUUID(),
    details: { i },
  };
}
