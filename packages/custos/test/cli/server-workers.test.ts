// `custos server --workers 2` (issue 17), the real server group on SQLite and on PostgreSQL: both workers answer on
// one port; after concurrent load the audit chain verifies; a worker killed with kill -9 under load is replaced and
// every acknowledged encrypt decrypts and has its audit record; SIGTERM drains the group (exit 0, no process left).
// Needs `npm run build` (it runs the built CLI).
import { mkdtemp, rm } from 'node:fs/promises';
import { get, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { RemoteKms } from '@custos/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore, openSqliteStore, type Store } from '../../src/store/index.js';
import { describePostgres, dropSchema, PG_URL, testSchemaName } from '../store/pg.js';
import {
  type Acked,
  createKey,
  groupPids,
  killGroup,
  load,
  probeWorker,
  startGroup,
  type Group,
} from './workers-helpers.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'custos-workers-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** Every acknowledged encrypt has its allowed Encrypt record (by request id) in the store. */
async function expectAudited(store: Store, acked: readonly Acked[]): Promise<void> {
  const rows = await store.db
    .selectFrom('audit_log')
    .select('request_id')
    .where('operation', '=', 'Encrypt')
    .where('outcome', '=', 'allowed')
    .execute();
  const recorded = new Set(rows.map((r) => r.request_id));
  expect(acked.filter((a) => !recorded.has(a.requestId)).map((a) => a.requestId)).toEqual([]);
}

/** Every acknowledged ciphertext decrypts (through the running group), and the chain verifies. */
async function expectDecryptsAndChain(group: Group, acked: readonly Acked[]): Promise<void> {
  const kms = new RemoteKms({ endpoint: group.url, token: group.token, timeoutMs: 20_000 });
  const failed: string[] = [];
  for (let i = 0; i < acked.length; i += 32)
    await Promise.all(
      acked.slice(i, i + 32).map(async (a) => {
        await kms.decrypt({ ciphertextBlob: Buffer.from(a.ciphertextBlob, 'base64') }).catch(() => {
          failed.push(a.requestId);
        });
      }),
    );
  expect(failed).toEqual([]);
  expect(await kms.verifyAuditChain({})).toMatchObject({ ok: true });
}

/** SIGTERM to the primary: the group exits 0 and leaves no process behind. */
async function drain(group: Group): Promise<void> {
  group.child.kill('SIGTERM');
  expect(await group.exited).toBe(0);
  expect(await groupPids(group)).toEqual([]);
}

describe('custos server --workers 2 on SQLite', { timeout: 240_000 }, () => {
  it('both workers answer; a worker killed under load is replaced, nothing acknowledged is lost; SIGTERM drains', async () => {
    const dataDir = join(root, 'sqlite');
    const args = ['--data-dir', dataDir, '--workers', '2'];
    const group = await startGroup(args, dataDir);
    try {
      const keyId = await createKey(group);
      const acked: Acked[] = [];
      let stop = false;
      const running = load(group, keyId, 12, acked, () => stop);
      const until = Date.now() + 30_000;
      while (new Set(acked.map((a) => a.worker)).size < 2 && Date.now() < until) await sleep(100);
      const first = [...new Set(acked.map((a) => a.worker))];
      expect(first).toHaveLength(2); // one port, two processes answering
      expect(first).not.toContain(String(group.child.pid)); // the primary serves nothing

      const victim = Number(first[0]);
      process.kill(victim, 'SIGKILL');
      // Its replacement answers too (a third pid, on a new connection), while the load goes on.
      let replacement: string | undefined;
      while (replacement === undefined && Date.now() < until + 30_000) {
        const pid = await probeWorker(group);
        if (pid !== undefined && !first.includes(pid)) replacement = pid;
        else await sleep(100);
      }
      stop = true;
      await running;
      expect(replacement).toBeDefined();
      expect(group.stderr()).toMatch(new RegExp(`worker ${String(victim)} exited \\(SIGKILL\\); starting another`));

      await expectDecryptsAndChain(group, acked);
      await drain(group);
      const store = await openSqliteStore(join(dataDir, 'custos.db'), { migrate: false });
      try {
        await expectAudited(store, acked);
      } finally {
        await store.close();
      }
    } finally {
      killGroup(group, 'SIGKILL');
    }
  });

  it('kill -9 of the whole group, then a restart: the chain verifies and everything acknowledged is there', async () => {
    const dataDir = join(root, 'sqlite-group');
    const args = ['--data-dir', dataDir, '--workers', '2'];
    const group = await startGroup(args, dataDir);
    const acked: Acked[] = [];
    try {
      const keyId = await createKey(group);
      let stop = false;
      const running = load(group, keyId, 12, acked, () => stop);
      await sleep(1500 + Math.random() * 1000);
      killGroup(group, 'SIGKILL');
      stop = true;
      await running;
      await group.exited;
    } finally {
      killGroup(group, 'SIGKILL');
    }
    expect(acked.length).toBeGreaterThan(0);
    const again = await startGroup(args, dataDir);
    try {
      await expectDecryptsAndChain(again, acked);
      await drain(again);
    } finally {
      killGroup(again, 'SIGKILL');
    }
    const store = await openSqliteStore(join(dataDir, 'custos.db'), { migrate: false });
    try {
      await expectAudited(store, acked);
    } finally {
      await store.close();
    }
  });
});

/** POST `path` on a new connection (so both workers get asked); the status and the worker that answered. */
function postFresh(group: Group, path: string, body: unknown): Promise<{ status: number; worker: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      `${group.url}${path}`,
      {
        method: 'POST',
        agent: false,
        headers: { authorization: `Bearer ${group.token}`, 'content-type': 'application/json' },
      },
      (response) => {
        response.resume();
        resolve({ status: response.statusCode ?? 0, worker: String(response.headers['x-custos-worker']) });
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify(body));
  });
}

describe('custos server --workers 2: key caches', { timeout: 120_000 }, () => {
  it('a key disabled through one worker is refused at once by the other, whose cache held it', async () => {
    const dataDir = join(root, 'caches');
    const group = await startGroup(['--data-dir', dataDir, '--workers', '2'], dataDir);
    try {
      const keyId = await createKey(group);
      const encrypt = { keyId, plaintext: Buffer.from('x').toString('base64') };
      const warm = new Set<string>();
      for (let i = 0; i < 40 && warm.size < 2; i++) {
        const r = await postFresh(group, `/v1/keys/${keyId}/encrypt`, encrypt);
        expect(r.status).toBe(200);
        warm.add(r.worker);
      }
      expect(warm.size).toBe(2); // both workers have the key in their cache (TTL 5 s)
      const disabling = Date.now();
      expect((await postFresh(group, `/v1/keys/${keyId}/disable`, {})).status).toBe(200);
      const after: { status: number; worker: string }[] = [];
      for (let i = 0; i < 6; i++) after.push(await postFresh(group, `/v1/keys/${keyId}/encrypt`, encrypt));
      // Within the cache's TTL (5 s): a worker not told would still have served the key from its cache.
      expect(Date.now() - disabling).toBeLessThan(4500);
      expect(new Set(after.map((r) => r.worker)).size).toBe(2);
      expect(after.map((r) => r.status)).toEqual(after.map(() => 409)); // KEY_DISABLED
      await drain(group);
    } finally {
      killGroup(group, 'SIGKILL');
    }
  });
});

describe('custos server --workers 2 --rate-limit', { timeout: 120_000 }, () => {
  it('the limit holds across the workers: counted once, whichever worker answers', async () => {
    const dataDir = join(root, 'rate');
    const group = await startGroup(['--data-dir', dataDir, '--workers', '2', '--rate-limit', '6'], dataDir);
    try {
      const statuses: number[] = [];
      const workers = new Set<string>();
      for (let i = 0; i < 12; i++) {
        const { status, worker } = await new Promise<{ status: number; worker: string }>((resolve, reject) => {
          const request = get(
            `${group.url}/v1/keys`,
            { agent: false, headers: { authorization: `Bearer ${group.token}` } },
            (response) => {
              response.resume();
              resolve({ status: response.statusCode ?? 0, worker: String(response.headers['x-custos-worker']) });
            },
          );
          request.on('error', reject);
        });
        statuses.push(status);
        workers.add(worker);
      }
      expect(workers.size).toBe(2);
      expect(statuses.filter((s) => s === 200)).toHaveLength(6);
      expect(statuses.filter((s) => s === 429)).toHaveLength(6);
      await drain(group);
    } finally {
      killGroup(group, 'SIGKILL');
    }
  });
});

describePostgres('custos server --workers 2 on PostgreSQL')(
  'custos server --workers 2 on PostgreSQL',
  { timeout: 240_000 },
  () => {
    const schema = testSchemaName();
    afterAll(() => dropSchema(schema));

    it('both workers answer, the chain verifies after concurrent load, SIGTERM drains', async () => {
      const dataDir = join(root, 'postgres');
      const args = ['--data-dir', dataDir, '--database-url', PG_URL, '--database-schema', schema, '--workers', '2'];
      const group = await startGroup(args, dataDir);
      const acked: Acked[] = [];
      try {
        const keyId = await createKey(group);
        let stop = false;
        const running = load(group, keyId, 12, acked, () => stop);
        const until = Date.now() + 30_000;
        while (new Set(acked.map((a) => a.worker)).size < 2 && Date.now() < until) await sleep(100);
        await sleep(500);
        stop = true;
        await running;
        expect(new Set(acked.map((a) => a.worker)).size).toBe(2);
        await expectDecryptsAndChain(group, acked);
        await drain(group);
      } finally {
        killGroup(group, 'SIGKILL');
      }
      const store = await openPostgresStore(PG_URL, { schema, poolSize: 1 });
      try {
        await expectAudited(store, acked);
      } finally {
        await store.close();
      }
    });
  },
);
