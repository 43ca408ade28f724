// A second `custos server` on a shared PostgreSQL store does not claim an admin token file it does not have: the
// first node wrote the store's first admin token in its own data directory, and the second says so. Needs
// `npm run build` and PostgreSQL; skipped loudly without them.
import { type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { freePort, spawnCli } from './helpers.js';
import { describePostgres, dropSchema, PG_URL, testSchemaName } from '../store/pg.js';

const children: ChildProcess[] = [];
const schema = testSchemaName();
let base: string | undefined;

/** Starts `custos server` on the shared schema; resolves to the stderr line that says it is listening. */
async function startNode(dir: string, rootKeyFile: string): Promise<string> {
  const port = await freePort();
  const child = spawnCli([
    'server',
    ...['--data-dir', dir, '--listen', `127.0.0.1:${port}`, '--root-key-file', rootKeyFile],
    ...['--database-url', PG_URL, '--database-schema', schema, '--log-level', 'silent'],
  ]);
  children.push(child);
  child.stdout!.resume();
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      const line = stderr.split('\n').find((l) => l.includes('listening on'));
      if (line !== undefined) resolve(line);
    });
    child.on('exit', (code) => {
      reject(new Error(`custos server exited ${String(code)}: ${stderr}`));
    });
  });
}

describePostgres('a second server on a shared PostgreSQL store')('the admin token line', () => {
  afterAll(async () => {
    for (const child of children) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await dropSchema(schema);
    if (base !== undefined) await rm(base, { recursive: true, force: true });
  }, 30_000);

  it('node1 names its token file; node2, which has none, says the token is in the creating server’s directory', async () => {
    base = await mkdtemp(join(tmpdir(), 'custos-node2-'));
    const rootKeyFile = join(base, 'root.key');
    const first = await startNode(join(base, 'node1'), rootKeyFile);
    expect(first).toContain(`admin token in ${join(base, 'node1', 'admin.token')}`);
    const second = await startNode(join(base, 'node2'), rootKeyFile);
    expect(existsSync(join(base, 'node2', 'admin.token'))).toBe(false);
    expect(second).not.toContain('admin token in');
    expect(second).toContain(`${join(base, 'node2', 'admin.token')} does not exist`);
    expect(second).toContain('data directory of the server that created it');
  }, 60_000);
});
