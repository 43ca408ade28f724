// The key caches' change feed (migration 019): triggers record every change to what a key cache holds, whoever makes
// it, in the same transaction (SQLite: rows of key_changes, polled; PostgreSQL: NOTIFY at commit), and leave out the
// counters updated on the request path. Every column is exercised, so a column added later without its trigger fails
// here. The rows are written with plain SQL, as an operator or another process would.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sqliteDriver, type SqliteDatabase } from '../../src/store/sqlite-driver.js';
import { pollKeyChanges } from '../../src/store/sqlite-key-changes.js';
import { openPostgresStore } from '../../src/store/postgres.js';
import type { Store } from '../../src/store/index.js';
import { openTestKms, type TestKms } from '../service/helpers.js';
import { describePostgres, dropSchema, PG_URL, testSchemaName } from './pg.js';

/** Columns the triggers leave out: counted on the request path, never what a cache decides by. */
const QUIET = { keys: ['use_count', 'row_mac'], key_versions: ['encryption_count', 'row_mac'] };

/** A store with one key (two versions), a grant and an alias, closed; its id. */
async function populated(t: TestKms): Promise<string> {
  const { keyMetadata } = await t.kms.createKey({});
  const keyId = keyMetadata.keyId;
  await t.kms.rotateKeyOnDemand({ keyId });
  await t.kms.createGrant({ keyId, granteePrincipal: 'billing', operations: ['Encrypt'] });
  await t.kms.createAlias({ aliasName: `alias/feed-${randomUUID()}`, targetKeyId: keyId });
  return keyId;
}

describe('the change feed on SQLite', () => {
  let t: TestKms;
  let keyId: string;
  let db: SqliteDatabase;
  beforeAll(async () => {
    t = await openTestKms();
    keyId = await populated(t);
    await t.kms.close();
    db = new (sqliteDriver())(join(t.dir, 'custos.db'));
  });
  afterAll(async () => {
    db.close();
    await t.cleanup();
  });

  const changes = (): string[] =>
    (db.prepare('select key_id from key_changes order by seq').all() as { key_id: string }[]).map((r) => r.key_id);
  const columns = (table: string): string[] =>
    (db.prepare(`select name from pragma_table_info('${table}')`).all() as { name: string }[]).map((r) => r.name);
  afterEach(() => {
    db.exec('delete from key_changes');
  });

  it('records a change to any column of keys but the use counter, and nothing for the counter', () => {
    for (const column of columns('keys')) {
      db.exec('delete from key_changes');
      db.prepare(`update keys set "${column}" = "${column}" where id = ?`).run(keyId);
      expect({ column, changes: changes() }).toEqual({
        column,
        changes: QUIET.keys.includes(column) ? [] : [keyId],
      });
    }
    db.exec('delete from key_changes');
    db.prepare('update keys set use_count = use_count + 1, row_mac = row_mac where id = ?').run(keyId);
    expect(changes()).toEqual([]);
  });

  it('records a change to any column of key_versions but the encryption count, and inserts and deletes', () => {
    for (const column of columns('key_versions')) {
      db.exec('delete from key_changes');
      db.prepare(`update key_versions set "${column}" = "${column}" where key_id = ? and version = 1`).run(keyId);
      expect({ column, changes: changes() }).toEqual({
        column,
        changes: QUIET.key_versions.includes(column) ? [] : [keyId],
      });
    }
    db.exec('delete from key_changes');
    const all = columns('key_versions').map((c) => `"${c}"`);
    const copied = all.map((c) => (c === '"version"' ? 'version + 100' : c)).join(', ');
    db.prepare(
      `insert into key_versions (${all.join(', ')}) select ${copied} from key_versions where key_id = ? and version = 1`,
    ).run(keyId);
    db.prepare('delete from key_versions where key_id = ? and version = 101').run(keyId);
    expect(changes()).toEqual([keyId, keyId]);
  });

  it('records grants added, changed and removed, and aliases changed and removed', () => {
    db.prepare("update grants set name = 'x' where key_id = ?").run(keyId);
    db.prepare('update aliases set updated_at = updated_at + 1 where key_id = ?').run(keyId);
    db.prepare('delete from aliases where key_id = ?').run(keyId);
    const grant = columns('grants').map((c) => `"${c}"`);
    const copied = grant.map((c) => (c === '"id"' ? "id || '-copy'" : c)).join(', ');
    db.prepare(`insert into grants (${grant.join(', ')}) select ${copied} from grants where key_id = ?`).run(keyId);
    db.prepare('delete from grants where key_id = ?').run(keyId);
    expect(changes()).toEqual([keyId, keyId, keyId, keyId, keyId, keyId]);
  });

  it('a rolled-back change leaves no row', () => {
    expect(() => {
      db.transaction(() => {
        db.prepare("update keys set description = 'rolled back' where id = ?").run(keyId);
        throw new Error('roll back');
      })();
    }).toThrow('roll back');
    expect(changes()).toEqual([]);
  });
});

describe('pollKeyChanges', () => {
  let t: TestKms;
  let keyId: string;
  let db: SqliteDatabase;
  let reader: SqliteDatabase;
  beforeAll(async () => {
    t = await openTestKms();
    keyId = await populated(t);
    await t.kms.close();
    db = new (sqliteDriver())(join(t.dir, 'custos.db'));
    reader = new (sqliteDriver())(join(t.dir, 'custos.db'));
  });
  afterAll(async () => {
    db.close();
    reader.close();
    await t.cleanup();
  });

  const stops: (() => void)[] = [];
  afterEach(() => {
    for (const stop of stops.splice(0)) stop();
  });
  /** The poller, polling only when `tick` says (its interval: an hour), and what it emitted. */
  function poller(): { heard: (string | null)[]; tick: () => void } {
    const heard: (string | null)[] = [];
    const feed = pollKeyChanges(reader, 3_600_000, (changed) => heard.push(changed));
    stops.push(feed.stop);
    return { heard, tick: feed.poll };
  }
  /** A change to the key, by another connection (the triggers add a row). */
  const change = (description: string) =>
    db.prepare('update keys set description = ? where id = ?').run(description, keyId);

  it('starts by dropping everything, then tells each changed key once per poll', () => {
    const p = poller();
    expect(p.heard).toEqual([null]);
    p.tick();
    expect(p.heard).toEqual([null]);
    change('a');
    change('b');
    p.tick();
    expect(p.heard).toEqual([null, keyId]);
    p.tick();
    expect(p.heard).toEqual([null, keyId]);
  });

  it('waits while its connection is inside a transaction (whose rows it must not read), then reads', () => {
    const p = poller();
    change('in');
    reader.exec('begin');
    p.tick();
    expect(p.heard).toEqual([null]);
    reader.exec('commit');
    p.tick();
    expect(p.heard).toEqual([null, keyId]);
  });

  it('drops everything when rows it had not read were pruned', () => {
    const p = poller();
    change('c');
    change('d');
    db.exec('delete from key_changes where seq = (select max(seq) - 1 from key_changes)'); // 'c', unread
    p.tick();
    expect(p.heard).toEqual([null, null]);
    change('e');
    p.tick();
    expect(p.heard).toEqual([null, null, keyId]);
  });

  it('drops everything when more than a batch is pending (a root rotation), and goes on from the top', () => {
    const p = poller();
    db.exec(
      'with recursive n(i) as (select 1 union all select i + 1 from n where i < 10001) ' +
        "insert into key_changes (key_id) select 'k' || i from n",
    );
    p.tick();
    expect(p.heard).toEqual([null, null]);
    change('f');
    p.tick();
    expect(p.heard).toEqual([null, null, keyId]);
  });

  it('drops everything on every poll that fails (the table gone), and recovers when it is back', () => {
    const p = poller();
    db.exec('alter table key_changes rename to key_changes_away');
    p.tick();
    p.tick();
    expect(p.heard).toEqual([null, null, null]);
    db.exec('alter table key_changes_away rename to key_changes');
    p.tick(); // finds its place again (and drops everything)
    change('g');
    p.tick();
    expect(p.heard).toEqual([null, null, null, null, keyId]);
  });
});

const describePg = describePostgres('the change feed on PostgreSQL');

describePg('the change feed on PostgreSQL', () => {
  let t: TestKms;
  let keyId: string;
  let store: Store;
  const schema = testSchemaName();
  beforeAll(async () => {
    t = await openTestKms({ store: { kind: 'postgres', url: PG_URL, schema } });
    keyId = await populated(t);
    await t.kms.close();
    store = await openPostgresStore(PG_URL, { schema });
  });
  afterAll(async () => {
    await store.close();
    await t.cleanup();
    await dropSchema(schema);
  });

  /** The payloads of custos_key_changes NOTIFYs for this schema sent while `change` runs (and committed). */
  async function notified(change: () => Promise<unknown>): Promise<string[]> {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    const heard: string[] = [];
    // The channel is shared: other test files' stores, on their own schemas, notify on it at the same time.
    client.on('notification', (message) => {
      if (message.payload?.startsWith(`${schema}/`)) heard.push(message.payload);
    });
    try {
      await client.query('listen custos_key_changes');
      await change();
      await client.query('select 1'); // notifications sent before this reply are delivered before it
      await new Promise((resolve) => setTimeout(resolve, 50));
      return heard;
    } finally {
      await client.end();
    }
  }
  const columns = async (table: string): Promise<string[]> =>
    (
      await sql<{ column_name: string }>`select column_name from information_schema.columns
        where table_schema = ${schema} and table_name = ${table}`.execute(store.db)
    ).rows.map((r) => r.column_name);

  it('notifies `<schema>/<key id>` for a change to any column of keys but the use counter', async () => {
    for (const column of await columns('keys')) {
      const heard = await notified(() =>
        sql`update keys set ${sql.ref(column)} = ${sql.ref(column)} where id = ${keyId}`.execute(store.db),
      );
      expect({ column, heard }).toEqual({ column, heard: QUIET.keys.includes(column) ? [] : [`${schema}/${keyId}`] });
    }
  });

  it('notifies for key_versions but its encryption count, for grants and aliases, and not for a rollback', async () => {
    for (const column of await columns('key_versions')) {
      const heard = await notified(() =>
        sql`update key_versions set ${sql.ref(column)} = ${sql.ref(column)}
          where key_id = ${keyId} and version = 1`.execute(store.db),
      );
      expect({ column, heard }).toEqual({
        column,
        heard: QUIET.key_versions.includes(column) ? [] : [`${schema}/${keyId}`],
      });
    }
    const others = await notified(async () => {
      await sql`update grants set name = 'x' where key_id = ${keyId}`.execute(store.db);
      await sql`delete from grants where key_id = ${keyId}`.execute(store.db);
      await sql`update aliases set updated_at = updated_at + 1 where key_id = ${keyId}`.execute(store.db);
      await sql`delete from aliases where key_id = ${keyId}`.execute(store.db);
    });
    expect(others).toEqual(Array.from({ length: 4 }, () => `${schema}/${keyId}`));
    const rolledBack = await notified(() =>
      store
        .transaction(async (tx) => {
          await sql`update keys set description = 'no' where id = ${keyId}`.execute(tx);
          throw new Error('roll back');
        })
        .catch(() => undefined),
    );
    expect(rolledBack).toEqual([]);
  });
});
