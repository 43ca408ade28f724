// One process per SQLite data directory: a second LocalKms (in this process, in a script's process, beside a running
// `custos server`) is refused with UNAVAILABLE naming the holder (pid, host, since); the lock goes with close, and a
// holder killed with SIGKILL leaves no lock behind. PostgreSQL stores are shared (import-token-reuse.test.ts opens two
// nodes on one data directory and schema). The child processes run the built package: `npm run build` first.
import { execFile, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalKms, type LocalKmsOptions } from '../../src/index.js';
import { freePort, spawnCli } from '../cli/helpers.js';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';

const BUILT = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

const quiet = { error: () => undefined };
const open = (dataDir: string, more: Partial<LocalKmsOptions> = {}) =>
  LocalKms.open({ dataDir, maintenanceIntervalMs: 0, logger: quiet, ...more });

/** Runs `LocalKms.open` on `dataDir` in a child process (the built package); what it printed. */
async function openInChild(dataDir: string): Promise<string> {
  if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run \`npm run build\` first`);
  const script = `
    const { LocalKms } = await import(${JSON.stringify(BUILT)});
    try {
      const kms = await LocalKms.open({ dataDir: ${JSON.stringify(dataDir)}, maintenanceIntervalMs: 0 });
      await kms.createKey({ description: 'from the child' });
      await kms.close();
      console.log('opened');
    } catch (error) {
      console.log('refused', error.code, error.message);
    }`;
  // A file, not `-e`: the audit worker thread inherits the process's flags, and `--input-type` refuses a worker file.
  const scriptDir = await mkdtemp(join(tmpdir(), 'custos-lock-script-'));
  try {
    await writeFile(join(scriptDir, 'open.mjs'), script);
    const { stdout } = await promisify(execFile)(process.execPath, [join(scriptDir, 'open.mjs')]);
    return stdout.trim();
  } finally {
    await rm(scriptDir, { recursive: true, force: true });
  }
}

describe('one process per SQLite data directory', { timeout: 60_000 }, () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'custos-lock-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('a second LocalKms in the same process is refused with UNAVAILABLE naming the holder; it opens after close', async () => {
    const first = await open(dir);
    const error = await expectKmsError(open(dir), 'UNAVAILABLE');
    expect(error.message).toContain(`process ${process.pid} on ${hostname()}, since `);
    expect(error.message).toContain(join(dir, 'custos.db'));
    // The same database by another way (its own data directory, the file named by path): refused too.
    await expectKmsError(
      open(join(dir, 'other'), { store: { kind: 'sqlite', path: join(dir, 'custos.db') } }),
      'UNAVAILABLE',
    );
    // The holder works on, undisturbed.
    const { keyMetadata } = await first.createKey({});
    await first.close();
    const second = await open(dir);
    expect((await second.describeKey({ keyId: keyMetadata.keyId })).keyMetadata.keyState).toBe('Enabled');
    await second.close();
  });

  it('a script in another process is refused while this process holds the directory, and opens once it is released', async () => {
    const holder = await open(dir);
    try {
      const refused = await openInChild(dir);
      expect(refused).toMatch(/^refused UNAVAILABLE /);
      expect(refused).toContain(`process ${process.pid} on ${hostname()}, since `);
      expect((await holder.listKeys({})).keys).toHaveLength(0); // the refused script wrote nothing
    } finally {
      await holder.close();
    }
    expect(await openInChild(dir)).toBe('opened');
    const after = await open(dir);
    expect((await after.listKeys({})).keys).toHaveLength(1);
    await after.close();
  });

  it('beside a running `custos server`, LocalKms.open on its data directory is refused naming the server; after kill -9 the stale lock is taken over', async () => {
    const port = await freePort();
    const server: ChildProcess = spawnCli(['server', '--data-dir', dir, '--listen', `127.0.0.1:${port}`]);
    server.stdout!.resume();
    server.stderr!.resume();
    const exited = new Promise((resolve) => server.once('exit', resolve));
    try {
      for (
        let i = 0;
        !(await fetch(`http://127.0.0.1:${port}/readyz`).then(
          (r) => r.ok,
          () => false,
        ));
        i++
      ) {
        if (i > 200 || server.exitCode !== null) throw new Error('the server did not start');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const error = await expectKmsError(open(dir), 'UNAVAILABLE');
      expect(error.message).toContain(`process ${server.pid} on ${hostname()}, since `);
      expect(await openInChild(dir)).toMatch(new RegExp(`^refused UNAVAILABLE .*process ${server.pid} on `));
    } finally {
      server.kill('SIGKILL');
      await exited;
    }
    // Killed without a chance to release anything: the kernel dropped its lock, so the directory opens, with the
    // server's data (its first admin token) intact.
    const kms = await open(dir);
    try {
      const token = (await readFile(join(dir, 'admin.token'), 'utf8')).trim();
      expect((await kms.authenticate(token)).roles).toEqual(['admin']);
    } finally {
      await kms.close();
    }
  });
});
