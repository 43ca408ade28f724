// Shared by the `custos server --workers N` tests: start a server group (its own process group, so the whole group can
// be killed at once), load it with encrypts that record what was acknowledged, and check the store afterwards.
// Needs `npm run build` (it runs the built CLI).
import { spawn, type ChildProcess } from 'node:child_process';
import { get } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CLI, cleanEnv } from './helpers.js';

export interface Group {
  readonly child: ChildProcess;
  readonly url: string;
  readonly token: string;
  /** Everything the group wrote on stderr so far. */
  stderr(): string;
  /** Resolves with the primary's exit code (or signal). */
  readonly exited: Promise<number | string>;
}

/** Starts `custos server ...args` (listening on a free port) and waits for its "listening on" line. */
export async function startGroup(args: readonly string[], dataDir: string): Promise<Group> {
  const child = spawn(process.execPath, [CLI, 'server', ...args, '--listen', '127.0.0.1:0', '--log-level', 'warn'], {
    env: cleanEnv(),
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true, // its own process group: kill(-pid) reaches the primary and every worker
  });
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => {
      resolve(code ?? signal ?? -1);
    }),
  );
  const until = Date.now() + 60_000;
  for (;;) {
    const url = /listening on (\S+)/.exec(err)?.[1];
    if (url) {
      const token = (await readFile(join(dataDir, 'admin.token'), 'utf8').catch(() => '')).trim();
      return { child, url, token, stderr: () => err, exited };
    }
    if (child.exitCode !== null) throw new Error(`server exited with ${String(child.exitCode)}: ${err}`);
    if (Date.now() > until) throw new Error(`server did not start: ${err}`);
    await sleep(50);
  }
}

/** Kills the whole group with `signal` (a process already gone is fine). */
export function killGroup(group: Group, signal: NodeJS.Signals): void {
  try {
    process.kill(-group.child.pid!, signal);
  } catch {
    // gone
  }
}

/** The pids of the group's processes still alive (the primary and its workers), read from /proc. */
export async function groupPids(group: Group): Promise<number[]> {
  const { readdir } = await import('node:fs/promises');
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] !== 'Z' && Number(fields[2]) === group.child.pid) pids.push(Number(entry));
  }
  return pids;
}

/** One acknowledged encrypt: its request id (the audit record's), the worker that answered, and the ciphertext. */
export interface Acked {
  readonly requestId: string;
  readonly worker: string;
  readonly ciphertextBlob: string;
}

/** POST /v1/keys/:keyId/encrypt; the acknowledgement, or undefined when it failed (no reply, or not 200). */
async function encryptOnce(group: Group, keyId: string, plaintext: string): Promise<Acked | undefined> {
  try {
    const response = await fetch(`${group.url}/v1/keys/${keyId}/encrypt`, {
      method: 'POST',
      headers: { authorization: `Bearer ${group.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ keyId, plaintext: Buffer.from(plaintext).toString('base64') }),
      signal: AbortSignal.timeout(10_000),
    });
    if (response.status !== 200) return undefined;
    const body = (await response.json()) as { ciphertextBlob: string };
    return {
      requestId: response.headers.get('x-request-id') ?? '',
      worker: response.headers.get('x-custos-worker') ?? '',
      ciphertextBlob: body.ciphertextBlob,
    };
  } catch {
    return undefined;
  }
}

/** `clients` loops of encrypts until `stop()` says so; every acknowledged one is pushed to `acked`. */
export function load(group: Group, keyId: string, clients: number, acked: Acked[], stop: () => boolean): Promise<void> {
  return Promise.all(
    Array.from({ length: clients }, async (_, n) => {
      for (let i = 0; !stop(); i++) {
        const ack = await encryptOnce(group, keyId, `client ${String(n)} message ${String(i)}`);
        if (ack) acked.push(ack);
        else await sleep(20);
      }
    }),
  ).then(() => undefined);
}

/** Creates a symmetric key over REST and returns its id. */
export async function createKey(group: Group): Promise<string> {
  const response = await fetch(`${group.url}/v1/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${group.token}`, 'content-type': 'application/json' },
    body: '{}',
  });
  const body = (await response.json()) as { keyMetadata: { keyId: string } };
  return body.keyMetadata.keyId;
}

/** The pid of the worker that answers GET /healthz on a new connection (undefined when none answers). */
export function probeWorker(group: Group): Promise<string | undefined> {
  return new Promise((resolve) => {
    const request = get(`${group.url}/healthz`, { agent: false, headers: { connection: 'close' } }, (response) => {
      response.resume();
      resolve(response.headers['x-custos-worker'] as string | undefined);
    });
    request.setTimeout(5000, () => request.destroy());
    request.on('error', () => {
      resolve(undefined);
    });
  });
}
