// `custos token`, `custos audit` (with --follow), token resolution and one-line errors, end to end against a real server.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, type TestServer, cleanEnv, errorCode, freePort, runCli, spawnCli, startTestServer } from './helpers.js';

let t: TestServer;
let keyId: string;

beforeAll(async () => {
  t = await startTestServer();
  keyId = (await t.kms.createKey({})).keyMetadata.keyId;
});
afterAll(() => t?.stop());

describe.concurrent('custos token', { timeout: 120_000 }, () => {
  it('token create --role key-user --json prints the token once; it can encrypt but not create keys; revoke stops it', async () => {
    const created = await t.run(['token', 'create', '--role', 'key-user', '--description', 'ci', '--json']);
    expect(created.code, created.stderr).toBe(0);
    const tok = JSON.parse(created.stdout.toString()) as {
      token: string;
      tokenId: string;
      principal: string;
      roles: string[];
    };
    expect(tok.token).toMatch(/^cst_/);
    expect(tok.roles).toEqual(['key-user']);
    expect(tok.principal).toBeTruthy();
    const asUser = { CUSTOS_TOKEN: tok.token };

    const enc = await t.run(['encrypt', '--key', keyId], { input: 'for the user', env: asUser });
    expect(enc.code, enc.stderr).toBe(0);
    const dec = await t.run(['decrypt'], { input: enc.stdout, env: asUser });
    expect(dec.stdout.toString()).toBe('for the user');

    const denied = await t.run(['key', 'create', '--json'], { env: asUser });
    expect(denied.code).toBe(1);
    expect(errorCode(denied)).toBe('ACCESS_DENIED');
    expect(denied.stdout.length).toBe(0);

    const listed = await t.run(['token', 'list', '--json']);
    expect(
      (JSON.parse(listed.stdout.toString()) as { tokens: { tokenId: string }[] }).tokens.map((x) => x.tokenId),
    ).toContain(tok.tokenId);
    expect(listed.stdout.toString()).not.toContain(tok.token);
    const table = await t.run(['token', 'list']);
    expect(table.stdout.toString()).toMatch(new RegExp(`^${tok.tokenId}\\s+\\S+\\s+key-user`, 'm'));

    expect((await t.run(['token', 'revoke', tok.tokenId])).code).toBe(0);
    const revoked = await t.run(['encrypt', '--key', keyId], { input: 'x', env: asUser });
    expect(revoked.code).toBe(1);
    expect(errorCode(revoked)).toBe('UNAUTHENTICATED');
  });

  it('token create takes --principal and --expires-in; a bad role is a usage error', async () => {
    const r = await t.run([
      'token',
      'create',
      '--role',
      'key-admin',
      '--principal',
      'ops-bot',
      '--expires-in',
      '1h',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const tok = JSON.parse(r.stdout.toString()) as { principal: string; expiresAt: string };
    expect(tok.principal).toBe('ops-bot');
    expect(new Date(tok.expiresAt).getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
    const bad = await t.run(['token', 'create', '--role', 'root']);
    expect(bad.code).toBe(2);
    expect(errorCode(bad)).toBe('USAGE');
  });
});

describe.concurrent('custos access-key', { timeout: 120_000 }, () => {
  it('access-key create prints the secret once; list shows the id only; revoke', async () => {
    const created = await t.run(['access-key', 'create', '--role', 'key-user', '--json']);
    expect(created.code, created.stderr).toBe(0);
    const ak = JSON.parse(created.stdout.toString()) as { accessKeyId: string; secretAccessKey: string };
    expect(ak.accessKeyId).toMatch(/^AKIA/);
    expect(ak.secretAccessKey).toHaveLength(40);
    const listed = await t.run(['access-key', 'list']);
    expect(listed.stdout.toString()).toMatch(new RegExp(`^${ak.accessKeyId}\\s`, 'm'));
    expect(listed.stdout.toString()).not.toContain(ak.secretAccessKey);
    expect((await t.run(['access-key', 'revoke', ak.accessKeyId])).code).toBe(0);
  });
});

describe.concurrent('custos audit', { timeout: 120_000 }, () => {
  it('audit --key --limit lists records as a table and as JSON', async () => {
    await t.kms.encrypt({ keyId, plaintext: Buffer.from('audited') });
    const r = await t.run(['audit', '--key', keyId, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const { records } = JSON.parse(r.stdout.toString()) as { records: { operation: string; keyId: string }[] };
    expect(records.map((x) => x.operation)).toEqual(expect.arrayContaining(['CreateKey', 'Encrypt']));
    const limited = await t.run(['audit', '--limit', '2', '--json']);
    expect((JSON.parse(limited.stdout.toString()) as { records: unknown[] }).records).toHaveLength(2);
    const human = await t.run(['audit', '--limit', '3']);
    expect(human.stdout.toString().split('\n')[0]).toMatch(/^SEQ\s+TIME\s+PRINCIPAL\s+OPERATION/);
  });

  it('audit --follow prints new records as they happen and exits 0 on SIGINT', async () => {
    const child = spawnCli(['audit', '--follow', '--json', '--interval', '200'], { env: t.env });
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    const exited = new Promise<number | null>((resolve) =>
      child.on('close', (code) => {
        resolve(code);
      }),
    );
    await waitFor(() => out.includes('"CreateKey"'), 10_000); // the records so far
    expect(out).not.toContain('"GenerateRandom"');
    await t.kms.generateRandom({ numberOfBytes: 8 });
    await waitFor(() => out.includes('"GenerateRandom"'), 10_000); // a new one, picked up by polling
    for (const line of out.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow(); // NDJSON
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});

describe.concurrent('connection and errors', { timeout: 120_000 }, () => {
  it('uses <data-dir>/admin.token when no token is given', async () => {
    const r = await runCli(['key', 'describe', keyId, '--json', '--data-dir', t.dir], {
      env: { CUSTOS_ENDPOINT: t.server.url },
    });
    expect(r.code, r.stderr).toBe(0);
    const viaEnv = await runCli(['key', 'describe', keyId, '--json'], {
      env: { CUSTOS_ENDPOINT: t.server.url, CUSTOS_DATA_DIR: t.dir },
    });
    expect(viaEnv.code, viaEnv.stderr).toBe(0);
    const viaFlags = await runCli(['--endpoint', t.server.url, '--token', t.token, 'key', 'describe', keyId]);
    expect(viaFlags.code, viaFlags.stderr).toBe(0);
  });

  it('without any token: a usage error naming the ways to give one', async () => {
    const r = await runCli(['key', 'list', '--data-dir', '/nonexistent'], { env: { CUSTOS_ENDPOINT: t.server.url } });
    expect(r.code).toBe(2);
    expect(errorCode(r)).toBe('USAGE');
    expect(r.stderr).toMatch(/CUSTOS_TOKEN/);
  });

  it('a wrong token is UNAUTHENTICATED, one line, exit 1', async () => {
    const r = await t.run(['key', 'list'], { env: { CUSTOS_TOKEN: 'cst_wrong' } });
    expect(r.code).toBe(1);
    expect(errorCode(r)).toBe('UNAUTHENTICATED');
  });

  it('an unreachable server is UNAVAILABLE, one line, exit 1, no stack trace', async () => {
    const port = await freePort();
    const r = await t.run(['random'], { env: { CUSTOS_ENDPOINT: `http://127.0.0.1:${port}` } });
    expect(r.code).toBe(1);
    expect(errorCode(r)).toBe('UNAVAILABLE');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('CUSTOS_DEBUG=1 adds the stack', async () => {
    const port = await freePort();
    const r = await t.run(['random'], { env: { CUSTOS_ENDPOINT: `http://127.0.0.1:${port}`, CUSTOS_DEBUG: '1' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^custos: UNAVAILABLE: /);
    expect(r.stderr).toMatch(/\n\s+at /);
  });

  it.each([
    [['key', 'create', '--bogus']],
    [['encrypt']],
    [['encrypt', '--key', 'k', '--context', 'novalue']],
    [['key', 'schedule-deletion', 'k', '--days', '99']],
    [['nope']],
  ])('usage error %j: one line, exit 2', async (args) => {
    const r = await t.run(args);
    expect(r.code).toBe(2);
    expect(errorCode(r)).toBe('USAGE');
  });

  // util-linux `script` gives the CLI a terminal as stdout; skipped where it is missing.
  it.skipIf(!existsSync('/usr/bin/script'))('refuses binary output to a terminal unless --force or --out', async () => {
    for (const args of [
      ['encrypt', '--key', keyId],
      ['sign', '--key', keyId, '--algorithm', 'ECDSA_SHA_256'],
    ]) {
      const r = await new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn('/usr/bin/script', ['-qec', [process.execPath, CLI, ...args].join(' '), '/dev/null'], {
          env: cleanEnv(t.env),
        });
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
        child.stdin.end();
        child.on('close', (code) => {
          resolve({ code, out });
        });
      });
      expect(r.code).toBe(2);
      expect(r.out).toMatch(/^custos: USAGE: refusing to write .* to a terminal; use --out <file>/m);
    }
  });

  it('--help and --version exit 0', async () => {
    const [help, version] = await Promise.all([t.run(['key', 'create', '--help']), t.run(['--version'])]);
    expect(help.code).toBe(0);
    expect(help.stdout.toString()).toMatch(/Usage: custos key create/);
    expect(help.stdout.toString()).toMatch(/--spec/);
    expect(version.code).toBe(0);
    expect(version.stdout.toString()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}
