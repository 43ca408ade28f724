// `custos audit export`, `custos audit public-key` and the offline `custos audit verify --file` against a real server
// (issue 12): the export verifies with the pinned key (level signatures) and with the data directory's root key
// (level chain), needs no server to verify, detects an edited record, and after `custos audit prune` with the same
// date the next export starts at the anchor. Needs `npm run build` (it runs the built CLI).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RemoteKms } from '@custos/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../src/api/server.js';
import { errorCode, runCli } from './helpers.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'custos-cli-export-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('custos audit export and verify --file', { timeout: 60_000 }, () => {
  it('exports, verifies offline at both levels, detects an edit, and exports again from the anchor after a prune', async () => {
    const dataDir = join(root, 'data');
    const open = () => startServer({ dataDir, listen: '127.0.0.1:0', logger: false });
    let server: RunningServer = await open();
    const token = server.adminToken!;
    const kms = new RemoteKms({ endpoint: server.url, token });
    for (let i = 0; i < 4; i++) await kms.createKey({});
    await kms.close();
    await server.close(); // signs the head
    server = await open();
    const env = () => ({ env: { CUSTOS_ENDPOINT: server.url, CUSTOS_TOKEN: token } });
    const tomorrow = new Date(Date.now() + 24 * 60 * 60 * 1000).toISOString();
    const file = join(root, 'audit.jsonl');
    const pem = join(root, 'key.pem');

    const exported = await runCli(['audit', 'export', '--before', tomorrow, '--out', file], env());
    expect(exported.stderr).toBe('');
    expect(exported.stdout.toString()).toMatch(/^exported \d+ records \(1\.\.\d+\) and \d+ signed checkpoints\n$/);
    const publicKey = await runCli(['audit', 'public-key', '--out', pem], env());
    expect(publicKey.stdout.toString()).toMatch(/SHA-256 of the key: [0-9a-f]{64}/);
    expect(await readFile(pem, 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/);

    // Offline: no endpoint, no token.
    const offline = { env: { CUSTOS_ENDPOINT: 'http://127.0.0.1:9', CUSTOS_TOKEN: '' } };
    const signatures = await runCli(['audit', 'verify', '--file', file, '--public-key', pem], offline);
    expect(signatures.code).toBe(0);
    expect(signatures.stdout.toString()).toContain('level signatures');
    const chain = await runCli(
      ['audit', 'verify', '--file', file, '--public-key', pem, '--data-dir', dataDir],
      offline,
    );
    expect(chain.code).toBe(0);
    expect(chain.stdout.toString()).toContain('level chain');
    const json = await runCli(['audit', 'verify', '--json', '--file', file, '--public-key', pem], offline);
    expect(JSON.parse(json.stdout.toString())).toMatchObject({ ok: true, level: 'signatures', first: 1 });

    const lines = (await readFile(file, 'utf8')).split('\n');
    const edited = join(root, 'edited.jsonl');
    await writeFile(edited, lines.map((l) => l.replace('"principal":"admin"', '"principal":"nobody"')).join('\n'));
    const broken = await runCli(
      ['audit', 'verify', '--file', edited, '--public-key', pem, '--root-key-file', join(dataDir, 'root.key')],
      offline,
    );
    expect(broken.code).toBe(1);
    expect(errorCode(broken)).toBe('AUDIT_CHAIN_BROKEN');
    expect(broken.stderr).toContain('level chain');
    const noKey = await runCli(['audit', 'verify', '--file', file], offline);
    expect(noKey.code).toBe(2);

    const last = Number(/\.\.(\d+)\)/.exec(exported.stdout.toString())![1]);
    const pruned = await runCli(['audit', 'prune', '--before', tomorrow], env());
    expect(pruned.stdout.toString()).toContain(`the log now starts at record ${String(last)}`);
    await server.close(); // signs the new head
    server = await open();
    const again = join(root, 'again.jsonl');
    const second = await runCli(['audit', 'export', '--before', tomorrow, '--out', again], env());
    expect(second.stdout.toString()).toMatch(new RegExp(`^exported \\d+ records \\(${String(last)}\\.\\.\\d+\\)`));
    const verified = await runCli(
      ['audit', 'verify', '--file', again, '--public-key', pem, '--data-dir', dataDir],
      offline,
    );
    expect(verified.code).toBe(0);
    await server.close();
  });
});
