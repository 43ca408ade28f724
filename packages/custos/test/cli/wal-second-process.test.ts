// Issue 17: while a server ran, opening its custos.db from another process with the sqlite3 shell removed the
// server's WAL file, and the server's later commits were lost on `kill -9`. The cause: opening and closing the
// database file from Node (to create it with mode 0600) while a connection of the same process held it dropped the
// process's POSIX locks (fcntl locks belong to the process and go with any close of the file), so the shell took
// itself for the last connection, checkpointed and deleted the WAL under the server. Needs `npm run build` and the
// sqlite3 shell (Debian's sqlite3; .ci/run installs it).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { RemoteKms } from '@custos/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/index.js';
import { freePort, spawnCli } from './helpers.js';

function hasSqliteShell(): boolean {
  try {
    execFileSync('sqlite3', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const shell = hasSqliteShell();
if (!shell && process.env.CI)
  throw new Error('the sqlite3 shell is missing: CI must run this test (apt-get install sqlite3)');

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'custos-wal-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe.skipIf(!shell)('a second process on the server SQLite file', () => {
  it('the sqlite3 shell reading custos.db keeps the WAL, and commits after it survive kill -9', async () => {
    const dataDir = join(root, 'data');
    const db = join(dataDir, 'custos.db');
    const port = await freePort();
    const child = spawnCli(['server', '--data-dir', dataDir, '--listen', `127.0.0.1:${port}`, '--log-level', 'fatal']);
    child.stdout!.resume();
    child.stderr!.resume();
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      const endpoint = `http://127.0.0.1:${port}`;
      for (
        let i = 0;
        !(await fetch(`${endpoint}/healthz`).then(
          (r) => r.ok,
          () => false,
        ));
        i++
      ) {
        if (i > 400 || child.exitCode !== null) throw new Error('the server did not start');
        await sleep(50);
      }
      const token = (await readFile(join(dataDir, 'admin.token'), 'utf8')).trim();
      const kms = new RemoteKms({ endpoint, token });
      const before = await kms.createKey({ description: 'before the shell' });

      // Only to read, as an operator backing up or looking would.
      const count = execFileSync('sqlite3', [db, 'select count(*) from keys;'], { encoding: 'utf8' });
      expect(Number(count.trim())).toBeGreaterThanOrEqual(1);
      expect(existsSync(`${db}-wal`), 'the shell deleted the server WAL').toBe(true);

      const after = await kms.createKey({ description: 'after the shell' });
      child.kill('SIGKILL');
      await exited;

      const store = await openSqliteStore(db);
      try {
        const ids = (await store.db.selectFrom('keys').select('id').execute()).map((r) => r.id);
        expect(ids).toContain(before.keyMetadata.keyId);
        expect(ids, 'an acknowledged commit was lost').toContain(after.keyMetadata.keyId);
      } finally {
        await store.close();
      }
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});
