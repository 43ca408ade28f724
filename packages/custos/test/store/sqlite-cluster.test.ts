// Maintenance exactly once across the worker processes of one SQLite server (issue 17): tryExclusive holds a lock file
// every process sees, so a second holder — in this process or another — skips the run; the kernel frees it when the
// holder dies, even by kill -9, and the next run goes ahead. Needs `npm run build` (the other process runs dist/).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteCluster } from '../../src/store/sqlite-cluster.js';

const DIST = fileURLToPath(new URL('../../dist/store/sqlite-cluster.js', import.meta.url));

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'custos-sqlite-cluster-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('SQLite tryExclusive (maintenance once across workers)', { timeout: 60_000 }, () => {
  it('a second holder skips while the first runs, and runs once it is done', async () => {
    const file = join(root, 'one.db');
    const [a, b] = [sqliteCluster(file), sqliteCluster(file)];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = a.tryExclusive('maintenance', () => held.then(() => 'first'));
    expect(await b.tryExclusive('maintenance', async () => 'second')).toEqual({ ran: false });
    release();
    expect(await first).toEqual({ ran: true, value: 'first' });
    expect(await b.tryExclusive('maintenance', async () => 'second')).toEqual({ ran: true, value: 'second' });
  });

  it('another process holding it makes this one skip; after its kill -9 this one runs', async () => {
    const file = join(root, 'two.db');
    const script =
      `const { sqliteCluster } = await import(${JSON.stringify(DIST)});` +
      `void sqliteCluster(${JSON.stringify(file)}).tryExclusive('maintenance', () => {` +
      `process.stdout.write('held\\n'); return new Promise(() => {}); });` +
      'setInterval(() => {}, 1000);';
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', () => {
          resolve();
        });
        child.once('exit', (code) => {
          reject(new Error(`holder exited with ${String(code)}`));
        });
      });
      const here = sqliteCluster(file);
      expect(await here.tryExclusive('maintenance', async () => 'ran')).toEqual({ ran: false });
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      expect(await here.tryExclusive('maintenance', async () => 'ran')).toEqual({ ran: true, value: 'ran' });
    } finally {
      child.kill('SIGKILL');
    }
  });
});
