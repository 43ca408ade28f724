// Key metadata resident in the key cache (issue 17, keys at scale): it does not expire, so it must be dropped when
// anyone changes the key. Two LocalKms on one SQLite file (as two workers of a server, without the workers' IPC
// relay), and an operator's SQL: each change reaches the other's cache through the store's change feed within a poll.
// Then the preload: every key read into the cache at start, each row's MAC checked, within the memory budget.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalKms } from '../../src/index.js';
import type { LocalKmsOptions } from '../../src/service/local-kms.js';
import { acquireDataDirLock } from '../../src/store/data-dir-lock.js';
import { sqliteDriver } from '../../src/store/sqlite-driver.js';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';
import { describePostgres, dropSchema, PG_URL, testSchemaName, withClient } from '../store/pg.js';
import { eventually, utf8 } from './helpers.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Material stays a minute: only the change feed (no expiry) can explain a process seeing another's change. */
const OPTIONS = {
  maintenanceIntervalMs: 0,
  logger: { error: () => undefined },
  config: { keyCacheTtlMs: 60_000, minPendingWindowDays: 1 },
} satisfies Partial<LocalKmsOptions>;

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'custos-cache-feed-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function open(dir: string, more: Partial<LocalKmsOptions> = {}): Promise<LocalKms> {
  const kms = await LocalKms.open({ dataDir: dir, ...OPTIONS, ...more });
  cleanups.push(() => kms.close());
  return kms;
}

/** Two LocalKms on one store file, both joining one holder's lock, as a server's workers do. */
async function twoProcesses(): Promise<{ a: LocalKms; b: LocalKms; dir: string }> {
  const dir = await dataDir();
  await (await LocalKms.open({ dataDir: dir, ...OPTIONS })).close(); // creates the store and its root key
  const lock = acquireDataDirLock(join(dir, 'custos.db'));
  cleanups.push(() => {
    lock.release();
  });
  const a = await open(dir, { joinDataDirLock: lock.holderId });
  const b = await open(dir, { joinDataDirLock: lock.holderId });
  return { a, b, dir };
}

const versionOf = (blob: Uint8Array): number => Buffer.from(blob).readUInt32BE(17);

describe('resident key metadata, kept coherent by the change feed (SQLite)', { timeout: 30_000 }, () => {
  it("drops a key another process disabled, and uses another process's new version", async () => {
    const { a, b } = await twoProcesses();
    const { keyMetadata } = await a.createKey({});
    const keyId = keyMetadata.keyId;
    await a.encrypt({ keyId, plaintext: utf8('warm') }); // a holds the key
    await b.rotateKeyOnDemand({ keyId });
    await eventually(async () => {
      const { ciphertextBlob } = await a.encrypt({ keyId, plaintext: utf8('x') });
      expect(versionOf(ciphertextBlob)).toBe(2);
    }, 5000);
    await b.disableKey({ keyId });
    await eventually(() => expectKmsError(a.encrypt({ keyId, plaintext: utf8('x') }), 'KEY_DISABLED'), 5000);
    await b.enableKey({ keyId });
    await eventually(async () => {
      await a.encrypt({ keyId, plaintext: utf8('x') });
    }, 5000);
  });

  it("sees a row an operator's SQL changed behind every process's back: the forged row fails its check", async () => {
    const dir = await dataDir();
    const kms = await open(dir);
    const { keyMetadata } = await kms.createKey({});
    const keyId = keyMetadata.keyId;
    await kms.encrypt({ keyId, plaintext: utf8('warm') });
    const db = new (sqliteDriver())(join(dir, 'custos.db'));
    try {
      db.prepare("update keys set state = 'Enabled', exportable = 1 where id = ?").run(keyId);
    } finally {
      db.close();
    }
    await eventually(() => expectKmsError(kms.encrypt({ keyId, plaintext: utf8('x') }), 'INTERNAL'), 5000);
  });
});

const describePg = describePostgres('the change feed of a PostgreSQL store given no schema');

describePg("on PostgreSQL, a store given no schema (its tables in the connection's default schema)", () => {
  it("hears the triggers' notices, which name that schema: an operator's SQL reaches the cache at once", async () => {
    const schema = testSchemaName();
    await withClient((client) => client.query(`create schema ${schema}`));
    cleanups.push(() => dropSchema(schema));
    const search = encodeURIComponent(`-c search_path=${schema}`);
    const url = `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}options=${search}&application_name=${schema}`;
    const kms = await open(await dataDir(), { store: { kind: 'postgres', url, poolSize: 2 } });
    // The listening connection drops every cached key once it listens (it may have missed notices): wait for that.
    await eventually(async () => {
      const { rows } = await withClient((client) =>
        client.query("select 1 from pg_stat_activity where application_name = $1 and query like 'listen %'", [schema]),
      );
      expect(rows).toHaveLength(1);
    }, 5000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const { keyMetadata } = await kms.createKey({});
    const keyId = keyMetadata.keyId;
    await kms.encrypt({ keyId, plaintext: utf8('warm') });
    await withClient((client) => client.query(`update ${schema}.keys set exportable = 1 where id = $1`, [keyId]));
    // NOTIFY arrives within milliseconds; a second is far inside anything else that could drop the key.
    await eventually(() => expectKmsError(kms.encrypt({ keyId, plaintext: utf8('x') }), 'INTERNAL'), 1000);
  });
});

describe('the change feed kept short', () => {
  it('maintenance prunes changes older than an hour and keeps the rest', async () => {
    const dir = await dataDir();
    const kms = await open(dir);
    const { keyMetadata } = await kms.createKey({});
    const db = new (sqliteDriver())(join(dir, 'custos.db'));
    try {
      const now = Math.floor(Date.now() / 1000);
      db.prepare('insert into key_changes (key_id, changed_at) values (?, ?), (?, ?)').run(
        'old',
        now - 3700,
        'recent',
        now - 3500,
      );
      const kept = () =>
        (db.prepare('select key_id from key_changes order by seq').all() as { key_id: string }[]).map((r) => r.key_id);
      expect(kept()).toEqual(expect.arrayContaining([keyMetadata.keyId, 'old', 'recent']));
      await kms.runMaintenance();
      expect(kept()).toContain('recent');
      expect(kept()).toContain(keyMetadata.keyId);
      expect(kept()).not.toContain('old');
    } finally {
      db.close();
    }
  });
});

describe('the key cache preload', { timeout: 60_000 }, () => {
  /** A store with `count` keys, closed; their ids. */
  async function storeWith(count: number): Promise<{ dir: string; ids: string[] }> {
    const dir = await dataDir();
    const kms = await LocalKms.open({
      dataDir: dir,
      ...OPTIONS,
      config: { ...OPTIONS.config, keyCachePreload: false },
    });
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push((await kms.createKey({})).keyMetadata.keyId);
    await kms.close();
    return { dir, ids };
  }

  it('reads every key into the cache at start, and skips (logs and audits) a row that fails its check', async () => {
    const { dir, ids } = await storeWith(300); // more than one page
    const forged = ids[7] ?? '';
    const db = new (sqliteDriver())(join(dir, 'custos.db'));
    try {
      db.prepare('update keys set exportable = 1 where id = ?').run(forged);
    } finally {
      db.close();
    }
    const logged: Record<string, unknown>[] = [];
    const kms = await open(dir, { logger: { error: (details) => void logged.push(details) } });
    const status = await kms.keyCachePreloaded();
    expect(status).toMatchObject({ state: 'done', loaded: 299, refused: 1 });
    expect(kms.keyCacheStatus().keys).toBe(299);
    expect(kms.keyCacheStatus().preload).toMatchObject({ state: 'done', loaded: 299 });
    expect(logged.map((l) => l.integrityFailure)).toContainEqual({ table: 'keys', row: forged });
    const audit = new (sqliteDriver())(join(dir, 'custos.db'), { readonly: true });
    try {
      const record = audit
        .prepare("select principal, outcome, error_code, details from audit_log where operation = 'PreloadKeyCache'")
        .get() as { principal: string; outcome: string; error_code: string; details: string };
      expect(record).toMatchObject({ principal: 'custos:system', outcome: 'failed', error_code: 'INTERNAL' });
      expect(JSON.parse(record.details)).toEqual({ integrityFailure: { table: 'keys', row: forged } });
    } finally {
      audit.close();
    }
    // The forged key is not served from the cache; the others are, and work.
    await expectKmsError(kms.encrypt({ keyId: forged, plaintext: utf8('x') }), 'INTERNAL');
    await kms.encrypt({ keyId: ids[8] ?? '', plaintext: utf8('x') });
  });

  it('reads every key again once the whole cache was dropped (here: a gap in the change feed)', async () => {
    const { dir } = await storeWith(40);
    const kms = await open(dir);
    expect(await kms.keyCachePreloaded()).toMatchObject({ state: 'done', loaded: 40 });
    // Let the feed's first polls pass (a drop they made would start another run): the count below starts from here.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await eventually(async () => {
      expect(kms.keyCacheStatus().preload).toMatchObject({ state: 'done', loaded: 40 });
    });
    const { runs } = kms.keyCacheStatus().preload;
    // Feed rows pruned before this process read them: the poller cannot tell what changed, and drops everything.
    const db = new (sqliteDriver())(join(dir, 'custos.db'));
    try {
      db.transaction(() => {
        const { lastInsertRowid } = db.prepare("insert into key_changes (key_id, changed_at) values ('gone', 0)").run();
        db.prepare('delete from key_changes where seq = ?').run(lastInsertRowid);
        db.prepare("insert into key_changes (key_id, changed_at) values ('after the gap', 0)").run();
      })();
    } finally {
      db.close();
    }
    await eventually(async () => {
      expect(kms.keyCacheStatus().preload).toMatchObject({ state: 'done', loaded: 40, runs: runs + 1 });
    });
    expect(kms.keyCacheStatus().keys).toBe(40);
    await kms.close();
  });

  it('stops at 90 % of the memory budget, and does nothing when turned off or with the cache off', async () => {
    const { dir } = await storeWith(40);
    const one = await open(dir);
    await one.keyCachePreloaded();
    const perKey = one.keyCacheStatus().bytes / one.keyCacheStatus().keys;
    await one.close();
    const budget = Math.floor(perKey * 20);
    const small = await open(dir, { config: { ...OPTIONS.config, keyCacheBytes: budget } });
    const status = await small.keyCachePreloaded();
    expect(status.state).toBe('done');
    expect(status.loaded).toBeGreaterThanOrEqual(18);
    expect(status.loaded).toBeLessThan(40);
    expect(small.keyCacheStatus().bytes).toBeLessThanOrEqual(budget);
    await small.close();
    const off = await open(dir, { config: { ...OPTIONS.config, keyCachePreload: false } });
    expect(await off.keyCachePreloaded()).toMatchObject({ state: 'off', loaded: 0 });
    expect(off.keyCacheStatus().keys).toBe(0);
    await off.close();
    const uncached = await open(dir, { config: { ...OPTIONS.config, keyCacheTtlMs: 0 } });
    expect(await uncached.keyCachePreloaded()).toMatchObject({ state: 'off', loaded: 0 });
  });

  it('ends as failed, logged, when a read fails: the open still succeeds and nothing rejects', async () => {
    const { dir } = await storeWith(3);
    const rename = (from: string, to: string) => {
      const db = new (sqliteDriver())(join(dir, 'custos.db'));
      try {
        db.exec(`alter table ${from} rename to ${to}`);
      } finally {
        db.close();
      }
    };
    rename('key_versions', 'key_versions_away'); // the preload's join cannot run
    const logged: string[] = [];
    const kms = await open(dir, { logger: { error: (_details, message) => void logged.push(message) } });
    expect(await kms.keyCachePreloaded()).toMatchObject({ state: 'failed', loaded: 0 });
    expect(logged).toContain('key cache preload failed; keys load on first use');
    expect(kms.keyCacheStatus().keys).toBe(0);
  });

  it('stops when closed first, and a close waits for it', async () => {
    const { dir } = await storeWith(600);
    const kms = await LocalKms.open({ dataDir: dir, ...OPTIONS });
    const preloaded = kms.keyCachePreloaded();
    await kms.close();
    const status = await preloaded;
    expect(status.state).toBe('stopped');
    expect(status.loaded).toBeLessThan(600);
  });
});
