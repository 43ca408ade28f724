// `custos server` and the audit checkpoints (issue 12): a clean shutdown (SIGTERM) signs the head into the file named
// by --audit-checkpoint-file; a log cut behind the server's back refuses the next start with a clear message, and
// --audit-accept-mismatch starts it anyway. Needs `npm run build` (it runs the built CLI).
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { RemoteKms } from '@custos/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/index.js';
import { errorCode, freePort, spawnCli, startTestServer } from './helpers.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'custos-cli-checkpoints-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

interface Started {
  readonly child: ChildProcess;
  readonly url: string;
  readonly exited: Promise<number | null>;
  stderr(): string;
}

async function start(args: readonly string[]): Promise<Started> {
  const port = await freePort();
  const child = spawnCli(['server', ...args, '--listen', `127.0.0.1:${port}`, '--log-level', 'warn']);
  let err = '';
  child.stdout!.resume();
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, url: `http://127.0.0.1:${port}`, exited, stderr: () => err };
}

async function healthy(s: Started): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    if (s.child.exitCode !== null) return false;
    if (
      await fetch(`${s.url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return true;
    await sleep(50);
  }
  return false;
}

describe('custos server and audit checkpoints', { timeout: 60_000 }, () => {
  it('signs the head at SIGTERM, refuses to start on a truncated log, starts with --audit-accept-mismatch', async () => {
    const dataDir = join(root, 'data');
    const file = join(root, 'elsewhere-checkpoints');
    const args = ['--data-dir', dataDir, '--audit-checkpoint-file', file];

    const first = await start(args);
    expect(await healthy(first)).toBe(true);
    const token = (await readFile(join(dataDir, 'admin.token'), 'utf8')).trim();
    const kms = new RemoteKms({ endpoint: first.url, token });
    for (let i = 0; i < 3; i++) await kms.createKey({});
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const last = JSON.parse((await readFile(file, 'utf8')).trim().split('\n').at(-1) ?? '') as { seq: number };

    const store = await openSqliteStore(join(dataDir, 'custos.db'), { migrate: false });
    const top = await store.db.selectFrom('audit_log').select('seq').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(Number(top.seq)).toBe(last.seq);
    await store.db
      .deleteFrom('audit_log')
      .where('seq', '>', last.seq - 2)
      .execute();
    await store.close();

    const refused = await start(args);
    expect(await refused.exited).not.toBe(0);
    expect(refused.stderr()).toMatch(/does not match its last checkpoint/);

    const accepted = await start([...args, '--audit-accept-mismatch']);
    expect(await healthy(accepted)).toBe(true);
    accepted.child.kill('SIGTERM');
    expect(await accepted.exited).toBe(0);

    const again = await start(args); // the accepted start signed a new anchor
    expect(await healthy(again)).toBe(true);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  });

  it('audit verify exits 0 on an intact log and 1 with AUDIT_CHAIN_BROKEN on a cut one; audit --last n', async () => {
    const t = await startTestServer();
    try {
      for (let i = 0; i < 3; i++) await t.kms.createKey({ description: `k${String(i)}` });
      const ok = await t.run(['audit', 'verify']);
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout.toString()).toMatch(/audit log intact: \d+ records/);

      const last = await t.run(['audit', '--last', '2', '--json']);
      expect(last.code, last.stderr).toBe(0);
      const { records } = JSON.parse(last.stdout.toString()) as { records: { seq: number }[] };
      const all = (await t.kms.listAuditRecords({ limit: 1000 })).records;
      expect(records.map((r) => r.seq)).toEqual(all.slice(-3, -1).map((r) => r.seq)); // before this listing's record
      const usage = await t.run(['audit', '--last', '2', '--limit', '3']);
      expect(usage.code).toBe(2);

      const store = await openSqliteStore(join(t.dir, 'custos.db'), { migrate: false });
      await store.db.updateTable('audit_log').set({ principal: 'someone-else' }).where('seq', '=', 2).execute();
      await store.close();
      const prune = await t.run(['audit', 'prune', '--before', '2000-01-01']);
      expect(prune.code, prune.stderr).toBe(0);
      expect(prune.stdout.toString()).toMatch(/nothing to prune/);
      expect((await t.run(['audit', 'prune', '--before', 'yesterday'])).code).toBe(2);

      const broken = await t.run(['audit', 'verify']);
      expect(broken.code).toBe(1);
      expect(errorCode(broken)).toBe('AUDIT_CHAIN_BROKEN');
    } finally {
      await t.stop();
    }
  });
});
