// `custos server --root-of-trust pkcs11 ...` as a process on a SoftHSM2 token: the flags and the CUSTOS_PKCS11_*
// variables, used over REST, a restart on the same token, and the start-up errors (never showing the PIN).
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort, runCli, spawnCli } from '../cli/helpers.js';
import { describeSoftHsm, makeToken, type TestToken } from '../helpers/softhsm.js';

const PIN = '66120-server-pin';

async function waitHealthy(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const until = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${stderr()}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error('server did not become healthy');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts the server, runs `fn` with its URL and admin token, stops it with SIGTERM (exit 0). */
async function withServer(
  args: string[],
  env: Record<string, string>,
  fn: (url: string, token: string) => Promise<void>,
): Promise<string> {
  const port = await freePort();
  const child = spawnCli(['server', ...args, '--listen', `127.0.0.1:${port}`, '--log-level', 'info'], { env });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitHealthy(url, child, () => output);
    const dataDir = args[args.indexOf('--data-dir') + 1]!;
    await fn(url, (await readFile(join(dataDir, 'admin.token'), 'utf8')).trim());
  } finally {
    child.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
  return output;
}

describeSoftHsm('custos server on a PKCS#11 root of trust')('custos server --root-of-trust pkcs11', () => {
  let root: string;
  let token: TestToken;
  let pinFile: string;
  beforeAll(async () => {
    token = makeToken(PIN);
    root = await mkdtemp(join(tmpdir(), 'custos-p11-server-'));
    pinFile = join(root, 'pin');
    await writeFile(pinFile, `${PIN}\n`, { mode: 0o600 });
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('serves REST with the flags, and again after a restart with the CUSTOS_PKCS11_* variables', async () => {
    const dataDir = join(root, 'data');
    let ciphertextBlob = '';
    const rest = (url: string, bearer: string, path: string, body: unknown): Promise<Response> =>
      fetch(`${url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const first = await withServer(
      [
        '--data-dir',
        dataDir,
        '--root-of-trust',
        'pkcs11',
        '--pkcs11-module',
        token.module,
        '--pkcs11-token-label',
        token.label,
        '--pkcs11-pin-file',
        pinFile,
      ],
      {},
      async (url, bearer) => {
        const created = await rest(url, bearer, '/v1/keys', { description: 'HSM-rooted' });
        expect(created.status).toBe(201);
        const { keyMetadata } = (await created.json()) as { keyMetadata: { keyId: string } };
        const enc = await rest(url, bearer, `/v1/keys/${keyMetadata.keyId}/encrypt`, {
          plaintext: Buffer.from('hello hsm').toString('base64'),
        });
        expect(enc.status).toBe(200);
        ciphertextBlob = ((await enc.json()) as { ciphertextBlob: string }).ciphertextBlob;
      },
    );
    const second = await withServer(
      ['--data-dir', dataDir],
      {
        CUSTOS_ROOT_OF_TRUST: 'pkcs11',
        CUSTOS_PKCS11_MODULE: token.module,
        CUSTOS_PKCS11_TOKEN_LABEL: token.label,
        CUSTOS_PKCS11_PIN_FILE: pinFile,
      },
      async (url, bearer) => {
        const dec = await rest(url, bearer, '/v1/decrypt', { ciphertextBlob });
        expect(dec.status, await dec.clone().text()).toBe(200);
        const { plaintext } = (await dec.json()) as { plaintext: string };
        expect(Buffer.from(plaintext, 'base64').toString()).toBe('hello hsm');
      },
    );
    expect(first + second).not.toContain(PIN);
  });

  it('refuses incomplete or contradictory settings as usage errors (exit 2)', async () => {
    const dataDir = join(root, 'usage');
    const cases = [
      ['--root-of-trust', 'pkcs11', '--pkcs11-module', token.module],
      ['--pkcs11-token-label', token.label],
      ['--root-of-trust', 'tpm'],
      [
        '--root-of-trust',
        'pkcs11',
        '--pkcs11-module',
        token.module,
        '--pkcs11-token-label',
        token.label,
        '--pkcs11-pin-file',
        pinFile,
        '--passphrase-file',
        pinFile,
      ],
    ];
    for (const args of cases) {
      const r = await runCli(['server', '--data-dir', dataDir, '--listen', '127.0.0.1:0', ...args]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/^custos: USAGE: /);
      expect(r.stderr).not.toContain(PIN);
    }
  });

  it('fails to start with a clear code on a wrong PIN, an unknown token or a missing module, never showing the PIN', async () => {
    const wrongPin = join(root, 'wrong-pin');
    await writeFile(wrongPin, `${PIN}9`, { mode: 0o600 });
    const base = (module: string, label: string, pin: string): string[] => [
      'server',
      '--data-dir',
      join(root, 'errors'),
      '--listen',
      '127.0.0.1:0',
      '--root-of-trust',
      'pkcs11',
      '--pkcs11-module',
      module,
      '--pkcs11-token-label',
      label,
      '--pkcs11-pin-file',
      pin,
    ];
    const expected: [string[], number, string][] = [
      [base(token.module, token.label, wrongPin), 1, 'UNAUTHENTICATED'],
      [base(token.module, 'no-such-token', pinFile), 1, 'NOT_FOUND'],
      [base('/nonexistent/libpkcs11.so', token.label, pinFile), 2, 'USAGE'],
    ];
    for (const [args, code, name] of expected) {
      const r = await runCli(args);
      expect(r.code, r.stderr).toBe(code);
      expect(r.stderr).toContain(`custos: ${name}: `);
      expect(r.stderr).not.toContain(PIN);
    }
  });
});
