// The built CLI end to end on the Shamir root: `operator init` (offline), a `server --root-of-trust shamir` process
// that starts sealed, `operator unseal` from stdin and --share, a key made once unsealed, `operator seal`, and the
// refusals (init on a data directory that is not new, a threshold above the share count, a foreign share).
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, freePort, runCli, spawnCli } from './helpers.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'custos-cli-operator-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

async function waitListening(url: string, child: ChildProcess): Promise<void> {
  const until = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${String(child.exitCode)}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const init = async (dataDir: string, shares = 3, threshold = 2): Promise<string[]> => {
  const r = await runCli([
    'operator',
    'init',
    '--data-dir',
    dataDir,
    '--shares',
    String(shares),
    '--threshold',
    String(threshold),
    '--json',
  ]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).toMatch(/shown ONCE and stored nowhere/);
  const out = JSON.parse(r.stdout.toString()) as { unsealShares: string[]; threshold: number };
  expect(out.threshold).toBe(threshold);
  return out.unsealShares;
};

describe('custos operator', { timeout: 120_000 }, () => {
  it('init writes only a Shamir-sealed root key file (0600), and refuses a data directory that is not new', async () => {
    const dataDir = join(root, 'init');
    const shares = await init(dataDir, 5, 3);
    expect(shares).toHaveLength(5);
    expect(new Set(shares).size).toBe(5);
    expect(await readdir(dataDir)).toEqual(['root.key']);
    expect((await stat(join(dataDir, 'root.key'))).mode & 0o777).toBe(0o600);
    const file = await readFile(join(dataDir, 'root.key'), 'utf8');
    for (const share of shares) expect(file).not.toContain(share.split('.')[2]);
    const again = await runCli(['operator', 'init', '--data-dir', dataDir, '--shares', '3', '--threshold', '2']);
    expect([again.code, errorCode(again)]).toEqual([1, 'ALREADY_EXISTS']);
    expect(await readFile(join(dataDir, 'root.key'), 'utf8')).toBe(file);
    const text = await runCli([
      'operator',
      'init',
      '--data-dir',
      join(root, 'text'),
      '--shares',
      '2',
      '--threshold',
      '2',
    ]);
    expect(text.stdout.toString()).toMatch(/^share 1: custos-share-v1\.[0-9a-f]{32}\.\S+\nshare 2: /);
  });

  it('init refuses counts outside 2 <= threshold <= shares <= 255 (usage error, nothing written)', async () => {
    for (const [shares, threshold] of [
      ['3', '4'],
      ['3', '1'],
      ['256', '2'],
    ] as const) {
      const dataDir = join(root, `bad-${shares}-${threshold}`);
      const r = await runCli(['operator', 'init', '--data-dir', dataDir, '--shares', shares, '--threshold', threshold]);
      expect([r.code, errorCode(r)]).toEqual([2, 'USAGE']);
      await expect(stat(dataDir)).rejects.toThrow();
    }
  });

  it('a sealed server process: unseal from stdin and --share, serve, seal, and refuse a foreign share', async () => {
    const dataDir = join(root, 'server');
    const shares = await init(dataDir);
    const foreign = await init(join(root, 'foreign'));
    const port = await freePort();
    const url = `http://127.0.0.1:${String(port)}`;
    const child = spawnCli([
      'server',
      '--data-dir',
      dataDir,
      '--root-of-trust',
      'shamir',
      '--listen',
      `127.0.0.1:${String(port)}`,
      '--log-level',
      'info',
    ]);
    let logged = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (logged += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (logged += d));
    const env = { CUSTOS_ENDPOINT: url };
    try {
      await waitListening(url, child);
      const sealed = await runCli(['key', 'list', '--data-dir', dataDir, '--token', 'x'], { env });
      expect([sealed.code, errorCode(sealed)]).toEqual([1, 'SEALED']);
      const other = await runCli(['operator', 'unseal'], { env, input: `${foreign[0]!}\n` });
      expect([other.code, errorCode(other)]).toEqual([1, 'FOREIGN_SHARE']);
      const first = await runCli(['operator', 'unseal', '--json'], { env, input: `${shares[2]!}\n` });
      expect(first.code, first.stderr).toBe(0);
      expect(JSON.parse(first.stdout.toString())).toEqual({
        sealed: true,
        threshold: 2,
        progress: 1,
        rootOfTrust: 'shamir',
      });
      const second = await runCli(['operator', 'unseal', '--share', shares[0]!], { env });
      expect(second.stdout.toString()).toBe('unsealed (root of trust: shamir)\n');
      const created = await runCli(['key', 'create', '--data-dir', dataDir, '--json'], { env });
      expect(created.code, created.stderr).toBe(0);
      const seal = await runCli(['operator', 'seal', '--data-dir', dataDir], { env });
      expect(seal.stdout.toString()).toBe('sealed: 0 of 2 shares given\n');
      const empty = await runCli(['operator', 'unseal'], { env, input: '\n' });
      expect([empty.code, errorCode(empty)]).toEqual([2, 'USAGE']);
      const noToken = await runCli(['operator', 'seal', '--data-dir', join(root, 'none')], { env });
      expect([noToken.code, errorCode(noToken)]).toEqual([2, 'USAGE']);
    } finally {
      child.kill('SIGTERM');
    }
    await new Promise((r) => child.once('close', r));
    expect(logged).toMatch(/sealed: unseal it with custos operator unseal/);
    for (const share of [...shares, ...foreign]) expect(logged).not.toContain(share.split('.')[2]);
  });
});
