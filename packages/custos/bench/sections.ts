// The benchmark's issue-17 sections (run.ts prints them): the AWS protocol with real SigV4 beside the native API,
// keys at scale (random keys over a large filled store beside one hot key), the bare route as 1 and 2 processes and
// `custos server --workers` 1 and 2, and LocalKms in-process against raw node:crypto. Each is interleaved rounds of
// two runs, medians, and the ratio its target in issue 17 is stated in.
import { execFileSync, spawn } from 'node:child_process';
import { createCipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fill } from './fill.js';
import { headersFor, load, startTarget, stop, type Request, type Result, type Target } from './load.js';
import { signKmsRequest, type AwsCredentials } from './sigv4-sign.js';
import { interleaved, medianOf, ratioCells } from './stats.js';

export interface Settings {
  readonly rounds: number;
  readonly duration: number;
  readonly warmup: number;
  readonly connections: number;
}

const KIB = randomBytes(1024).toString('base64');

async function post(target: Target, path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(target.url + path, {
    method: 'POST',
    headers: headersFor(target),
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

const keyIdOf = (res: Record<string, unknown>) => (res.keyMetadata as { keyId: string }).keyId;

/** Two runs, interleaved over the rounds, each warmed up first; the rounds' results. */
async function pair(s: Settings, a: () => (d: number) => Promise<Result>, b: () => (d: number) => Promise<Result>) {
  const [runA, runB] = [a(), b()];
  if (s.warmup > 0) {
    await runA(s.warmup);
    await runB(s.warmup);
  }
  return interleaved(
    s.rounds,
    () => runA(s.duration),
    () => runB(s.duration),
  );
}

const rps = (r: Result) => r.rps;
const cpuPerRequest = (r: Result) => r.cpu?.processUs ?? NaN;
const us = (r: Result) => (r.cpu ? `${r.cpu.processUs.toFixed(0)} µs` : '-');

/**
 * The AWS protocol (JSON 1.1, SigV4 signed with an access key, signed afresh for each run) beside the native API
 * (bearer token) on one server, for each operation: req/s and the whole process's CPU per request, and the ratio of
 * the CPU figures (target: ≤ 1.1).
 */
export async function awsRows(s: Settings, custos: Target): Promise<string[][]> {
  const created = await post(custos, '/v1/access-keys', { roles: ['admin'] });
  const credentials = created as unknown as AwsCredentials;
  const aes = keyIdOf(await post(custos, '/v1/keys', { keySpec: 'SYMMETRIC_DEFAULT' }));
  const ecc = keyIdOf(await post(custos, '/v1/keys', { keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' }));
  const blob = (await post(custos, `/v1/keys/${aes}/encrypt`, { plaintext: KIB })).ciphertextBlob as string;
  const host = new URL(custos.url).host;
  const ops: [string, string, string, unknown, unknown][] = [
    ['encrypt 1 KiB', 'Encrypt', `/v1/keys/${aes}/encrypt`, { plaintext: KIB }, { KeyId: aes, Plaintext: KIB }],
    ['decrypt 1 KiB', 'Decrypt', '/v1/decrypt', { ciphertextBlob: blob }, { CiphertextBlob: blob }],
    [
      'sign ECDSA P-256',
      'Sign',
      `/v1/keys/${ecc}/sign`,
      { message: KIB, signingAlgorithm: 'ECDSA_SHA_256' },
      { KeyId: ecc, Message: KIB, SigningAlgorithm: 'ECDSA_SHA_256' },
    ],
    [
      'generateDataKey',
      'GenerateDataKey',
      `/v1/keys/${aes}/data-key`,
      { keySpec: 'AES_256' },
      { KeyId: aes, KeySpec: 'AES_256' },
    ],
  ];
  const rows: string[][] = [];
  for (const [name, operation, path, nativeBody, awsBody] of ops) {
    const native: Request = { path, headers: headersFor(custos), body: JSON.stringify(nativeBody) };
    const aws = (): Request => {
      const body = JSON.stringify(awsBody);
      return { path: '/', headers: signKmsRequest(credentials, 'us-east-1', host, operation, body), body };
    };
    const { a, b } = await pair(
      s,
      () => (d) => load(custos, native, s.connections, d),
      () => (d) => load(custos, aws(), s.connections, d),
    );
    const [n, w] = [medianOf(a), medianOf(b)];
    rows.push([
      name,
      n.rps.toFixed(0),
      w.rps.toFixed(0),
      us(n),
      us(w),
      ...ratioCells(b, a, cpuPerRequest),
      String(n.errors + w.errors),
    ]);
    console.error(`done: AWS protocol, ${name}`);
  }
  return rows;
}

/**
 * Keys at scale: a store filled with `count` keys (fill.ts; BENCH_STORE keeps it between runs), encrypt 1 KiB under
 * one hot key of them and under a key drawn at random per request (target: random ≥ 0.8× hot).
 */
export async function scaleRows(s: Settings, count: number): Promise<string[][]> {
  const kept = process.env.BENCH_STORE;
  const source = kept ?? (await mkdtemp(join(tmpdir(), 'custos-bench-store-')));
  const idsFile = join(source, 'key-ids.txt');
  const dataDir = await mkdtemp(join(tmpdir(), 'custos-bench-scale-'));
  try {
    if (!existsSync(idsFile) || readFileSync(idsFile, 'utf8').split('\n').filter(Boolean).length !== count) {
      await rm(source, { recursive: true, force: true });
      await mkdir(source, { recursive: true });
      const started = Date.now();
      await fill(source, count, idsFile);
      console.error(`filled ${count} keys in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
    await cp(source, dataDir, { recursive: true }); // the server's own copy: runs never change the kept store
    const hotFile = join(dataDir, 'hot-key.txt');
    const ids = readFileSync(idsFile, 'utf8').split('\n').filter(Boolean);
    await (await import('node:fs/promises')).writeFile(hotFile, `${ids[0] ?? ''}\n`);
    const custos = await startTarget(['custos', dataDir]);
    try {
      const request = (file: string): Request => ({
        path: '/v1/keys/{id}/encrypt',
        headers: headersFor(custos),
        body: JSON.stringify({ plaintext: KIB }),
        idsFile: file,
      });
      const { a, b } = await pair(
        s,
        () => (d) => load(custos, request(hotFile), s.connections, d),
        () => (d) => load(custos, request(idsFile), s.connections, d),
      );
      const [hot, random] = [medianOf(a), medianOf(b)];
      console.error(`done: random keys among ${count}`);
      return [
        [
          `encrypt 1 KiB, ${count} keys`,
          hot.rps.toFixed(0),
          `${hot.p99} ms`,
          random.rps.toFixed(0),
          `${random.p99} ms`,
          ...ratioCells(b, a, rps),
          String(hot.errors + random.errors),
        ],
      ];
    } finally {
      await stop(custos);
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
    if (!kept) await rm(source, { recursive: true, force: true });
  }
}

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** Whether `custos server --help` lists `--workers` (helper "workers" adds it). */
export function serverHasWorkers(): boolean {
  try {
    return execFileSync(process.execPath, [CLI, 'server', '--help'], { encoding: 'utf8' }).includes('--workers');
  } catch {
    return false;
  }
}

/** Every process under `pid` (itself included), from /proc's children lists: a cluster's workers. */
function processTree(pid: number): number[] {
  const children = (p: number): number[] => {
    try {
      const tasks = readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim();
      return tasks ? tasks.split(/\s+/).map(Number) : [];
    } catch {
      return [];
    }
  };
  const out = [pid];
  for (let i = 0; i < out.length; i++) out.push(...children(out[i] ?? 0));
  return out;
}

/** `custos server --workers <n>` on a fresh data directory; ready once /healthz answers. */
async function startWorkers(n: number, dataDir: string): Promise<Target> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(
    process.execPath,
    [CLI, 'server', '--data-dir', dataDir, '--listen', `127.0.0.1:${port}`, '--workers', String(n)],
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, CUSTOS_LOG_LEVEL: 'error' } },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`custos server --workers ${n} exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok && existsSync(join(dataDir, 'admin.token'))) break;
    if (i > 300) throw new Error(`custos server --workers ${n} did not start`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const token = readFileSync(join(dataDir, 'admin.token'), 'utf8').trim();
  return { url, token, child, pids: () => (child.pid === undefined ? [] : processTree(child.pid)) };
}

/**
 * Both cores: the bare route as 1 and as 2 processes, and (when the server has --workers) `custos server --workers`
 * 1 and 2 against them, encrypt 1 KiB (targets: 1 worker ≥ 0.85× one bare process, p99 ≤ 1.5×; 2 workers ≥ 0.85×
 * two bare processes and ≥ 1.6× one worker).
 */
export async function coreRows(s: Settings): Promise<{ rows: string[][]; note: string }> {
  const rows: string[][] = [];
  const hasWorkers = serverHasWorkers();
  const body = JSON.stringify({ plaintext: KIB });
  const dir = await mkdtemp(join(tmpdir(), 'custos-bench-workers-'));
  const oneWorker: Result[] = [];
  try {
    for (const n of [1, 2]) {
      const bare = await startTarget(n === 1 ? ['baseline'] : ['baseline-cluster', String(n)]);
      const custos = hasWorkers ? await startWorkers(n, join(dir, String(n))) : undefined;
      try {
        const runBare = (d: number) =>
          load(bare, { path: '/v1/keys/bare/encrypt', headers: headersFor(bare), body }, s.connections, d);
        if (!custos) {
          const results = (
            await interleaved(
              s.rounds,
              () => runBare(s.duration),
              () => runBare(s.duration),
            )
          ).a;
          const m = medianOf(results);
          rows.push([`bare route, ${n} process${n > 1 ? 'es' : ''}`, m.rps.toFixed(0), `${m.p99} ms`, '-', '-', '-']);
          continue;
        }
        const key = keyIdOf(await post(custos, '/v1/keys', { keySpec: 'SYMMETRIC_DEFAULT' }));
        const request: Request = { path: `/v1/keys/${key}/encrypt`, headers: headersFor(custos), body };
        const { a, b } = await pair(
          s,
          () => runBare,
          () => (d) => load(custos, request, s.connections, d),
        );
        const [base, ours] = [medianOf(a), medianOf(b)];
        if (n === 1) oneWorker.push(...b);
        rows.push([
          `--workers ${n} vs bare route, ${n} process${n > 1 ? 'es' : ''}`,
          base.rps.toFixed(0),
          `${base.p99} ms`,
          ours.rps.toFixed(0),
          `${ours.p99} ms`,
          ratioCells(b, a, rps)[0] +
            (n === 2 && oneWorker.length > 0
              ? ` (×${(ours.rps / medianOf(oneWorker).rps).toFixed(2)} of 1 worker)`
              : ''),
        ]);
      } finally {
        await Promise.all([stop(bare), ...(custos ? [stop(custos)] : [])]);
      }
      console.error(`done: ${n} process${n > 1 ? 'es' : ''}`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return { rows, note: hasWorkers ? '' : 'custos --workers rows skipped: server has no --workers' };
}

/**
 * In-process: LocalKms.encrypt of 1 KiB with 64 calls in flight against raw node:crypto AES-256-GCM the same way
 * (target: ≥ 0.5×), for `seconds` each, interleaved rounds.
 */
export async function inProcessRows(s: Settings): Promise<string[][]> {
  const { LocalKms } = (await import(
    new URL('../../dist/service/local-kms.js', import.meta.url).href
  )) as typeof import('../src/service/local-kms.js');
  const dataDir = await mkdtemp(join(tmpdir(), 'custos-bench-inproc-'));
  const kms = await LocalKms.open({ dataDir, maintenanceIntervalMs: 0 });
  try {
    const { keyMetadata } = await kms.createKey({});
    const plaintext = randomBytes(1024);
    const key = randomBytes(32);
    const raw = async () => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.update(plaintext);
      cipher.final();
      cipher.getAuthTag();
    };
    const custos = async () => {
      await kms.encrypt({ keyId: keyMetadata.keyId, plaintext });
    };
    const measure = async (call: () => Promise<void>, seconds: number): Promise<number> => {
      const until = performance.now() + seconds * 1000;
      let done = 0;
      await Promise.all(
        Array.from({ length: 64 }, async () => {
          while (performance.now() < until) {
            await call();
            done++;
          }
        }),
      );
      return done / seconds;
    };
    if (s.warmup > 0) {
      await measure(custos, s.warmup);
      await measure(raw, s.warmup);
    }
    const { a, b } = await interleaved(
      s.rounds,
      () => measure(custos, s.duration),
      () => measure(raw, s.duration),
    );
    const [ratio, range] = ratioCells(a, b, (x) => x);
    const med = (xs: number[]) => medianOf(xs.map((x) => ({ rps: x, p50: 0, p99: 0, errors: 0 }))).rps;
    console.error('done: in-process');
    return [['LocalKms encrypt 1 KiB, 64 in flight', med(a).toFixed(0), med(b).toFixed(0), ratio, range]];
  } finally {
    await kms.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
