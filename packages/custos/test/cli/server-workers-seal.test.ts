// A Shamir-sealed `custos server --workers 2` (issue 17): a share given to one worker reaches the other, the reply
// that says "unsealed" comes once every worker is unsealed, and a seal reaches every worker the same way. Each
// status is read on a new connection, so both workers are asked. Needs `npm run build` (it runs the built CLI).
import { mkdtemp, rm } from 'node:fs/promises';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';
import { killGroup, startGroup, type Group } from './workers-helpers.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'custos-workers-seal-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** GET /v1/sys/seal-status on a new connection: which worker answered, and what it said. */
function status(group: Group): Promise<{ pid: string; sealed: boolean; progress?: number }> {
  return new Promise((resolve, reject) => {
    const request = get(`${group.url}/v1/sys/seal-status`, { agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (d: string) => (body += d));
      response.on('end', () => {
        resolve({ pid: String(response.headers['x-custos-worker']), ...(JSON.parse(body) as { sealed: boolean }) });
      });
    });
    request.on('error', reject);
  });
}

/** The status every worker reports: asks on new connections until both pids have answered (each answer collected). */
async function everyWorker(group: Group): Promise<Map<string, { sealed: boolean; progress?: number }[]>> {
  const seen = new Map<string, { sealed: boolean; progress?: number }[]>();
  for (let i = 0; i < 40 && (seen.size < 2 || i < 8); i++) {
    const { pid, ...rest } = await status(group);
    seen.set(pid, [...(seen.get(pid) ?? []), rest]);
  }
  return seen;
}

async function post(group: Group, path: string, body: unknown, token?: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${group.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token !== undefined && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
  });
  return (await response.json()) as Record<string, unknown>;
}

describe('a sealed server with two workers', { timeout: 180_000 }, () => {
  it('unseal and seal reach every worker before the reply', async () => {
    const dataDir = join(root, 'shamir');
    const init = await runCli([
      'operator',
      'init',
      '--data-dir',
      dataDir,
      '--shares',
      '3',
      '--threshold',
      '2',
      '--json',
    ]);
    expect(init.code, init.stderr).toBe(0);
    const shares = (JSON.parse(init.stdout.toString()) as { unsealShares: string[] }).unsealShares;
    const group = await startGroup(['--data-dir', dataDir, '--root-of-trust', 'shamir', '--workers', '2'], dataDir);
    try {
      expect(await post(group, '/v1/sys/unseal', { share: shares[0] })).toMatchObject({ sealed: true, progress: 1 });
      const halfway = await everyWorker(group);
      expect(halfway.size).toBe(2);
      for (const answers of halfway.values())
        for (const a of answers) expect(a).toEqual({ sealed: true, progress: 1, threshold: 2, rootOfTrust: 'shamir' });

      expect(await post(group, '/v1/sys/unseal', { share: shares[2] })).toMatchObject({ sealed: false });
      const open = await everyWorker(group);
      expect(open.size).toBe(2);
      for (const answers of open.values()) for (const a of answers) expect(a.sealed).toBe(false);

      // The first unseal created the admin token; a seal (admin) reaches the other worker too.
      const { readFile } = await import('node:fs/promises');
      const token = (await readFile(join(dataDir, 'admin.token'), 'utf8')).trim();
      expect(await post(group, '/v1/sys/seal', {}, token)).toMatchObject({ sealed: true, progress: 0 });
      const sealed = await everyWorker(group);
      expect(sealed.size).toBe(2);
      for (const answers of sealed.values())
        for (const a of answers) expect(a).toMatchObject({ sealed: true, progress: 0 });
      group.child.kill('SIGTERM');
      expect(await group.exited).toBe(0);
    } finally {
      killGroup(group, 'SIGKILL');
    }
  });
});
