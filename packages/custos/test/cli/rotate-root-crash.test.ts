// `kill -9` of a real server process during a root rotation (POST /v1/sys/rotate-root), at a random moment, several
// times: after each restart every key still decrypts its old ciphertexts, and a final re-run finishes the job (a
// re-run after a finished rotation starts a new one). Needs `npm run build` (it runs the built CLI).
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { RemoteKms } from '@custos/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, spawnCli } from './helpers.js';

const KEYS = 240;
const CRASHES = 5;

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'custos-rotate-crash-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

interface Running {
  readonly endpoint: string;
  readonly token: string;
  readonly child: ChildProcess;
  readonly exited: Promise<unknown>;
}

async function start(dataDir: string): Promise<Running> {
  const port = await freePort();
  const child = spawnCli(['server', '--data-dir', dataDir, '--listen', `127.0.0.1:${port}`, '--log-level', 'fatal']);
  child.stdout!.resume();
  child.stderr!.resume();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const endpoint = `http://127.0.0.1:${port}`;
  const until = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    if (
      await fetch(`${endpoint}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (Date.now() > until) throw new Error('server did not become healthy');
    await sleep(50);
  }
  const token = (await readFile(join(dataDir, 'admin.token'), 'utf8')).trim();
  return { endpoint, token, child, exited };
}

async function sys(s: Running, method: 'GET' | 'POST'): Promise<{ state: string; running: boolean; done: number }> {
  const res = await fetch(`${s.endpoint}/v1/sys/rotate-root`, {
    method,
    headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' },
    ...(method === 'POST' && { body: '{}' }),
  });
  expect(res.status).toBe(method === 'POST' ? 202 : 200);
  return (await res.json()) as { state: string; running: boolean; done: number };
}

describe('kill -9 during a root rotation', () => {
  it('leaves every key usable, and a re-run finishes the job', { timeout: 120_000 }, async () => {
    const dataDir = join(root, 'data');
    let s = await start(dataDir);
    let kms = new RemoteKms({ endpoint: s.endpoint, token: s.token });
    const samples: { blob: Uint8Array; text: string }[] = [];
    for (let batch = 0; batch < KEYS / 20; batch++) {
      await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          const { keyId } = (await kms.createKey({})).keyMetadata;
          const text = `key ${String(batch * 20 + i)}`;
          const { ciphertextBlob } = await kms.encrypt({ keyId, plaintext: new TextEncoder().encode(text) });
          samples.push({ blob: ciphertextBlob, text });
        }),
      );
    }
    const checkAll = async (): Promise<void> => {
      for (const { blob, text } of samples)
        expect(new TextDecoder().decode((await kms.decrypt({ ciphertextBlob: blob })).plaintext)).toBe(text);
    };

    const states: string[] = [];
    for (let crash = 0; crash < CRASHES; crash++) {
      await sys(s, 'POST');
      // From before the rotation is recorded (root.key.next written or not) to re-wrapping and finishing.
      await sleep(Math.random() * [5, 20, 60, 150, 400][crash % 5]!);
      s.child.kill('SIGKILL');
      await s.exited;
      s = await start(dataDir);
      states.push((await sys(s, 'GET')).state); // where the crash left it
      kms = new RemoteKms({ endpoint: s.endpoint, token: s.token });
      await checkAll(); // every key usable between the crash and the re-run
    }
    // The re-run finishes it.
    await sys(s, 'POST');
    let status = await sys(s, 'GET');
    while (status.running) {
      await sleep(100);
      status = await sys(s, 'GET');
    }
    expect(status.state).toBe('done');
    await checkAll();
    expect((await kms.verifyAuditChain({})).ok).toBe(true);
    // The old root keys are gone: only root.key is left.
    expect((await readdir(dataDir)).filter((f) => f.startsWith('root.key'))).toEqual(['root.key']);
    s.child.kill('SIGTERM');
    await s.exited;
    expect(states.every((x) => ['idle', 'rewrapping', 'finishing', 'done'].includes(x))).toBe(true);
  });
});
