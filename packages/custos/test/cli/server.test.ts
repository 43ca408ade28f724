// `custos server` as a process: flags and --config, /healthz, the admin token file (0600), SIGTERM → exit 0.
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, freePort, runCli, spawnCli } from './helpers.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'custos-cli-server-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

async function waitHealthy(url: string, child: ChildProcess, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error('server did not become healthy');
    await new Promise((r) => setTimeout(r, 100));
  }
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else
      child.on('exit', (code) => {
        resolve(code);
      });
  });
}

describe.concurrent('custos server', { timeout: 120_000 }, () => {
  it('serves on --listen with --data-dir, writes admin.token (0600), and exits 0 on SIGTERM', async () => {
    const dataDir = join(root, 'flags');
    const port = await freePort();
    const child = spawnCli(['server', '--data-dir', dataDir, '--listen', `127.0.0.1:${port}`, '--log-level', 'warn']);
    child.stdout!.resume();
    child.stderr!.resume();
    const exited = exitOf(child);
    try {
      await waitHealthy(`http://127.0.0.1:${port}`, child);
      const tokenFile = join(dataDir, 'admin.token');
      expect((await stat(tokenFile)).mode & 0o777).toBe(0o600);
      const token = (await readFile(tokenFile, 'utf8')).trim();
      // The CLI finds the token in the data directory by itself.
      const r = await runCli(['random', '--bytes', '8', '--format', 'hex', '--data-dir', dataDir], {
        env: { CUSTOS_ENDPOINT: `http://127.0.0.1:${port}` },
      });
      expect(r.code, r.stderr).toBe(0);
      expect(token).toMatch(/^cst_/);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('takes settings from CUSTOS_* variables and a --config file: flag > env > file > default', async () => {
    const [filePort, envPort] = await Promise.all([freePort(), freePort()]);
    const config = join(root, 'custos.json');
    await writeFile(
      config,
      JSON.stringify({
        dataDir: join(root, 'from-file'),
        listen: `127.0.0.1:${filePort}`,
        logLevel: 'warn',
        bodyLimit: '2mb',
        rateLimit: 1000,
      }),
    );
    // listen from the environment beats the file; dataDir comes from the file.
    const child = spawnCli(['server', '--config', config], { env: { CUSTOS_LISTEN: `127.0.0.1:${envPort}` } });
    child.stdout!.resume();
    child.stderr!.resume();
    const exited = exitOf(child);
    try {
      await waitHealthy(`http://127.0.0.1:${envPort}`, child);
      expect((await stat(join(root, 'from-file', 'admin.token'))).isFile()).toBe(true);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('a bad setting is a one-line usage error, exit 2', async () => {
    const config = join(root, 'bad.json');
    await writeFile(config, JSON.stringify({ lisen: '127.0.0.1:1' }));
    const [unknownKey, badListen, badSize, certWithoutKey, clientCaAlone] = await Promise.all([
      runCli(['server', '--config', config]),
      runCli(['server', '--data-dir', join(root, 'bad'), '--listen', 'nonsense']),
      runCli(['server', '--data-dir', join(root, 'bad2'), '--body-limit', 'lots']),
      // The TLS rule is startServer's (one place); the CLI reports its refusal as a usage error.
      runCli(['server', '--data-dir', join(root, 'bad3'), '--tls-cert', join(root, 'cert.pem')]),
      runCli(['server', '--data-dir', join(root, 'bad4'), '--tls-client-ca', join(root, 'ca.pem')]),
    ]);
    expect(certWithoutKey.stderr).toMatch(/tlsCert and tlsKey go together/);
    expect(clientCaAlone.stderr).toMatch(/tlsClientCa needs tlsCert and tlsKey/);
    for (const r of [unknownKey, badListen, badSize, certWithoutKey, clientCaAlone]) {
      expect(r.code, r.stderr).toBe(2);
      expect(errorCode(r)).toBe('USAGE');
    }
  });
});
