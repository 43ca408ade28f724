// The benchmark's sections on processes (run.ts prints them): the bare route as 1 and 2 processes against
// `custos server --workers` 1 and 2, and LocalKms in-process against raw node:crypto, each interleaved rounds of two
// runs, medians, and the ratio its target in issue 17 is stated in.
import { execFileSync, spawn } from 'node:child_process';
import { createCipheriv, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { headersFor, load, startTarget, stop, type Request, type Result, type Target } from './load.js';
import { KIB, keyIdOf, pair, post, rps, type Settings } from './sections.js';
import { interleaved, medianOf, ms, ratioCells } from './stats.js';

/** This build's dist/, or BENCH_SERVER_DIST (another build's: the baseline of a before/after run). */
const DIST = process.env.BENCH_SERVER_DIST ?? fileURLToPath(new URL('../../dist', import.meta.url));
/** The CLI the --workers rows run. */
const CLI = join(DIST, 'cli/main.js');

/** Whether `custos server --help` lists `--workers` (helper "workers" adds it). */
function serverHasWorkers(): boolean {
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
  for (const p of out) out.push(...children(p)); // a for-of sees what is pushed while it runs
  return out;
}

/**
 * `custos server --workers <n>` on a fresh data directory; ready once it prints that it listens, which it does when
 * every worker listens (/healthz answers as soon as the first does: a run started then would load one worker only,
 * its connections kept for the whole run).
 */
async function startWorkers(n: number, dataDir: string): Promise<Target> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(
    process.execPath,
    [CLI, 'server', '--data-dir', dataDir, '--listen', `127.0.0.1:${port}`, '--workers', String(n)],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CUSTOS_LOG_LEVEL: 'error' } },
  );
  const url = `http://127.0.0.1:${port}`;
  const state = { listening: false };
  let printed = '';
  child.stderr.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk);
    printed = (printed + chunk.toString()).slice(-4096);
    state.listening ||= printed.includes('listening on');
  });
  for (let i = 0; !state.listening; i++) {
    if (child.exitCode !== null) throw new Error(`custos server --workers ${n} exited with ${child.exitCode}`);
    if (i > 600) throw new Error(`custos server --workers ${n} did not start`);
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
          rows.push([`bare route, ${n} process${n > 1 ? 'es' : ''}`, m.rps.toFixed(0), ms(m.p99), '-', '-', '-']);
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
          ms(base.p99),
          ours.rps.toFixed(0),
          ms(ours.p99),
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
  // From the same build as the server (BENCH_SERVER_DIST's when set).
  const { LocalKms } = (await import(
    pathToFileURL(join(DIST, 'service/local-kms.js')).href
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
