// Issue 12: `kill -9` of a real server process while clients create keys, aliases, tags and tokens leaves no change
// without its audit record (before: 2–3 orphan keys per five crashes). A few crashes per database, on SQLite and on
// PostgreSQL (skipped loudly when no server is reachable), as one process and as two workers (`--workers 2`, the whole
// group killed: issue 17). Needs `npm run build` (it runs the built CLI).
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { RemoteKms } from '@custos/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore, openSqliteStore, type Store } from '../../src/store/index.js';
import { describePostgres, dropSchema, PG_URL, testSchemaName } from '../store/pg.js';
import { freePort, spawnCli } from './helpers.js';
import { killGroup, startGroup } from './workers-helpers.js';

const CRASHES = 3;
const CLIENTS = 6;

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'custos-crash-audit-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

async function waitHealthy(url: string, child: ChildProcess): Promise<void> {
  const until = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > until) throw new Error('server did not become healthy');
    await sleep(50);
  }
}

/** One client's loop until the server dies: a key, then an alias, a tag and a token for it, again and again. */
async function churn(kms: RemoteKms, n: number): Promise<void> {
  for (let i = 0; ; i++) {
    const { keyMetadata } = await kms.createKey({});
    await kms.createAlias({ aliasName: `alias/c${n}-${i}-${Date.now()}`, targetKeyId: keyMetadata.keyId });
    await kms.tagResource({ keyId: keyMetadata.keyId, tags: [{ tagKey: `t${i}`, tagValue: 'v' }] });
    await kms.createToken({ roles: ['key-user'] });
  }
}

/** With --workers: starts the server group, loads it, kills the whole group (primary and workers) with SIGKILL. */
async function crashGroupOnce(args: readonly string[], dataDir: string): Promise<void> {
  const group = await startGroup(args, dataDir);
  const kms = new RemoteKms({ endpoint: group.url, token: group.token, timeoutMs: 5000 });
  const clients = Array.from({ length: CLIENTS }, (_, n) => churn(kms, n).catch(() => undefined));
  await sleep(400 + Math.random() * 600);
  killGroup(group, 'SIGKILL');
  await group.exited;
  await Promise.all(clients);
}

/** Starts the server, loads it from several clients, kills it with SIGKILL after a random moment. */
async function crashOnce(args: readonly string[], dataDir: string): Promise<void> {
  if (args.includes('--workers')) return crashGroupOnce(args, dataDir);
  const port = await freePort();
  const child = spawnCli(['server', ...args, '--listen', `127.0.0.1:${port}`, '--log-level', 'fatal']);
  child.stdout!.resume();
  child.stderr!.resume();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const endpoint = `http://127.0.0.1:${port}`;
  await waitHealthy(endpoint, child);
  const token = (await readFile(join(dataDir, 'admin.token'), 'utf8')).trim();
  const kms = new RemoteKms({ endpoint, token, timeoutMs: 5000 });
  const clients = Array.from({ length: CLIENTS }, (_, n) => churn(kms, n).catch(() => undefined));
  await sleep(400 + Math.random() * 600);
  child.kill('SIGKILL');
  await exited;
  await Promise.all(clients);
}

interface Orphans {
  readonly keys: string[];
  readonly aliases: string[];
  readonly tags: string[];
  readonly tokens: string[];
  readonly changes: number;
}

/** Every key, alias, tag and token in the store that no 'allowed' audit record accounts for. */
async function orphans(store: Store): Promise<Orphans> {
  const records = await store.db
    .selectFrom('audit_log')
    .select(['operation', 'key_id', 'details'])
    .where('outcome', '=', 'allowed')
    .execute();
  const has = (operations: string[], match: (r: (typeof records)[number]) => boolean) =>
    records.some((r) => operations.includes(r.operation) && match(r));
  const detail = (r: (typeof records)[number], field: string): unknown =>
    r.details === null ? undefined : (JSON.parse(r.details) as Record<string, unknown>)[field];
  const keys = await store.db.selectFrom('keys').select('id').execute();
  const aliases = await store.db.selectFrom('aliases').select(['name', 'key_id']).execute();
  const tags = await store.db.selectFrom('key_tags').select(['key_id', 'tag_key']).execute();
  const tokens = await store.db.selectFrom('api_tokens').select('id').execute();
  return {
    keys: keys.filter((k) => !has(['CreateKey'], (r) => r.key_id === k.id)).map((k) => k.id),
    aliases: aliases
      .filter((a) => !has(['CreateAlias'], (r) => r.key_id === a.key_id && detail(r, 'aliasName') === a.name))
      .map((a) => a.name),
    tags: tags.filter((t) => !has(['TagResource'], (r) => r.key_id === t.key_id)).map((t) => t.key_id),
    tokens: tokens
      .filter((t) => !has(['CreateToken', 'BootstrapToken'], (r) => detail(r, 'tokenId') === t.id))
      .map((t) => t.id),
    changes: keys.length + aliases.length + tags.length + tokens.length,
  };
}

function crashSuite(setup: () => Promise<{ args: string[]; dataDir: string; open: () => Promise<Store> }>) {
  it(`after ${CRASHES} kill -9 under load, every key, alias, tag and token has its audit record`, async () => {
    const { args, dataDir, open } = await setup();
    for (let i = 0; i < CRASHES; i++) await crashOnce(args, dataDir);
    const store = await open();
    try {
      const found = await orphans(store);
      expect(found.changes).toBeGreaterThan(20); // the load did reach the database
      expect({ keys: found.keys, aliases: found.aliases, tags: found.tags, tokens: found.tokens }).toEqual({
        keys: [],
        aliases: [],
        tags: [],
        tokens: [],
      });
    } finally {
      await store.close();
    }
  });
}

describe('kill -9 of a server on SQLite', { timeout: 120_000 }, () => {
  crashSuite(async () => {
    const dataDir = join(root, 'sqlite');
    return {
      args: ['--data-dir', dataDir],
      dataDir,
      open: () => openSqliteStore(join(dataDir, 'custos.db'), { migrate: false }),
    };
  });
});

describe('kill -9 of a server group (--workers 2) on SQLite', { timeout: 120_000 }, () => {
  crashSuite(async () => {
    const dataDir = join(root, 'sqlite-workers');
    return {
      args: ['--data-dir', dataDir, '--workers', '2'],
      dataDir,
      open: () => openSqliteStore(join(dataDir, 'custos.db'), { migrate: false }),
    };
  });
});

describePostgres('kill -9 of a server group (--workers 2) on PostgreSQL')(
  'kill -9 of a server group (--workers 2) on PostgreSQL',
  { timeout: 120_000 },
  () => {
    const schema = testSchemaName();
    afterAll(() => dropSchema(schema));
    crashSuite(async () => {
      const dataDir = join(root, 'postgres-workers');
      return {
        args: ['--data-dir', dataDir, '--database-url', PG_URL, '--database-schema', schema, '--workers', '2'],
        dataDir,
        open: () => openPostgresStore(PG_URL, { schema, poolSize: 1 }),
      };
    });
  },
);

describePostgres('kill -9 of a server on PostgreSQL')('kill -9 of a server on PostgreSQL', { timeout: 120_000 }, () => {
  const schema = testSchemaName();
  afterAll(() => dropSchema(schema));
  crashSuite(async () => {
    const dataDir = join(root, 'postgres');
    return {
      args: ['--data-dir', dataDir, '--database-url', PG_URL, '--database-schema', schema],
      dataDir,
      open: () => openPostgresStore(PG_URL, { schema, poolSize: 1 }),
    };
  });
});
