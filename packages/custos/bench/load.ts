// The benchmark's targets and load driver: a target is a child process serving HTTP (child.js); `load` drives one
// with wrk when it is installed (Debian's `wrk`: one thread, C, leaves the target more of the machine) and with
// autocannon otherwise (run.ts says which), and measures requests/s, p50, p99 and the target's CPU per request.
// A request is fixed (method, path, headers, body) or, with `pathsFile`, sent to a path drawn at random per request
// from the file's lines (`{id}` in the path template replaced): the random-keys rows.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const CHILD = fileURLToPath(new URL('./child.js', import.meta.url));

export interface Target {
  url: string;
  token?: string | undefined;
  child: ChildProcess;
  /** Processes whose CPU counts as the target's (a cluster's workers); default the child. */
  pids?: () => number[];
}

export interface Request {
  readonly method?: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body: string;
  /** A file of ids, one a line: each request goes to `path` with `{id}` replaced by one drawn at random. */
  readonly idsFile?: string;
}

export interface Result {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** CPU µs per request of the target's event loop and of its whole process, and its event loop's busy share. */
  cpu?: { loopUs: number; processUs: number; busy: number };
}

/** Whether wrk drives the load (BENCH_DRIVER=autocannon forces autocannon). */
export const WRK: boolean =
  process.env.BENCH_DRIVER !== 'autocannon' &&
  (() => {
    try {
      execFileSync('wrk', ['--version'], { stdio: 'ignore' });
      return true;
    } catch (error) {
      // wrk --version exits 1 after printing its version: installed all the same.
      return (error as { status?: number }).status === 1;
    }
  })();

export async function startTarget(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Target> {
  // BENCH_CPU_PROF_DIR: every target under `node --cpu-prof`, its profile written there when it exits.
  const profile = env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${env.BENCH_CPU_PROF_DIR}`] : [];
  const child = spawn(process.execPath, [...profile, CHILD, ...args], { stdio: ['ignore', 'pipe', 'inherit'], env });
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    rl.once('line', resolve);
    child.once('exit', (code) => {
      reject(new Error(`benchmark target exited with ${String(code)}`));
    });
  });
  const ready = JSON.parse(line) as { url: string; token?: string; pids?: number[] };
  return { url: ready.url, token: ready.token, child, ...(ready.pids ? { pids: () => ready.pids ?? [] } : {}) };
}

/** SIGTERM, then waits for the exit (the server drains first): nothing may run against a schema being dropped. */
export async function stop(target: Target): Promise<void> {
  if (target.child.exitCode !== null || target.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) =>
    target.child.once('exit', () => {
      resolve();
    }),
  );
  target.child.kill('SIGTERM');
  await Promise.race([exited, new Promise<void>((resolve) => setTimeout(resolve, 10_000).unref())]);
}

/** Linux's USER_HZ: /proc's CPU times are in these ticks. */
const CLOCK_TICKS = 100;

/**
 * CPU seconds the processes have used, on their main threads (event loops) and on all their threads; Linux only.
 * Read before a run with `processFirst` and after it without, so the processes' share can never come out below the
 * loops' (the other threads' time only grows between the two reads).
 */
function cpuSeconds(pids: number[], processFirst: boolean): { loop: number; process: number } | undefined {
  if (pids.length === 0 || process.platform !== 'linux') return undefined;
  const seconds = (path: string) => {
    const stat = readFileSync(path, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // utime + stime
  };
  try {
    const sum = (path: (pid: number) => string) => pids.reduce((n, pid) => n + seconds(path(pid)), 0);
    const read = { loop: () => sum((p) => `/proc/${p}/task/${p}/stat`), process: () => sum((p) => `/proc/${p}/stat`) };
    if (processFirst) {
      const whole = read.process();
      return { loop: read.loop(), process: whole };
    }
    const loop = read.loop();
    return { loop, process: read.process() };
  } catch {
    return undefined;
  }
}

const pidsOf = (target: Target): number[] =>
  target.pids ? target.pids() : target.child.pid === undefined ? [] : [target.child.pid];

export function headersFor(target: Target): Record<string, string> {
  return { 'content-type': 'application/json', ...(target.token ? { authorization: `Bearer ${target.token}` } : {}) };
}

export async function load(target: Target, request: Request, connections: number, duration: number): Promise<Result> {
  const pids = pidsOf(target);
  const cpuBefore = cpuSeconds(pids, true);
  const started = process.hrtime.bigint();
  const measured = WRK
    ? await wrk(target.url, request, connections, duration)
    : await cannon(target.url, request, connections, duration);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuAfter = cpuSeconds(pids, false);
  const requests = Math.max(1, measured.requests);
  return {
    rps: measured.rps,
    p50: measured.p50,
    p99: measured.p99,
    errors: measured.errors,
    ...(cpuBefore && cpuAfter
      ? {
          cpu: {
            loopUs: ((cpuAfter.loop - cpuBefore.loop) / requests) * 1e6,
            processUs: ((cpuAfter.process - cpuBefore.process) / requests) * 1e6,
            busy: (cpuAfter.loop - cpuBefore.loop) / seconds / pids.length,
          },
        }
      : {}),
  };
}

interface Measured {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function cannon(url: string, request: Request, connections: number, duration: number): Promise<Measured> {
  const ids = request.idsFile ? readFileSync(request.idsFile, 'utf8').split('\n').filter(Boolean) : undefined;
  const result = await autocannon({
    url: url + (ids ? request.path.replace('{id}', ids[0] ?? '') : request.path),
    method: (request.method ?? 'POST') as 'POST',
    connections,
    duration,
    headers: request.headers ?? {},
    body: request.body,
    ...(ids
      ? {
          requests: [
            {
              setupRequest: (req: autocannon.Request) => ({
                ...req,
                path: request.path.replace('{id}', ids[Math.floor(Math.random() * ids.length)] ?? ''),
              }),
            },
          ],
        }
      : {}),
  });
  return {
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

const lua = (s: string) => JSON.stringify(s); // a JSON string is a valid Lua string literal for these contents

/** One wrk run: one thread, the request set in a Lua script, the figures printed by its `done` as JSON. */
async function wrk(url: string, request: Request, connections: number, duration: number): Promise<Measured> {
  const dir = await mkdtemp(join(tmpdir(), 'custos-wrk-'));
  try {
    const headers = Object.entries(request.headers ?? {})
      .map(([k, v]) => `wrk.headers[${lua(k)}] = ${lua(v)}`)
      .join('\n');
    const [before, after] = request.path.split('{id}');
    const script = `
wrk.method = ${lua(request.method ?? 'POST')}
wrk.body = ${lua(request.body)}
${headers}
${
  request.idsFile
    ? `local ids = {}
for line in io.lines(${lua(request.idsFile)}) do if #line > 0 then ids[#ids + 1] = line end end
request = function()
  return wrk.format(nil, ${lua(before ?? '')} .. ids[math.random(#ids)] .. ${lua(after ?? '')})
end`
    : `wrk.path = ${lua(request.path)}`
}
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests":%d,"us":%d,"p50":%.3f,"p99":%.3f,"errors":%d}\\n', summary.requests,
    summary.duration, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.status + e.timeout))
end
`;
    await writeFile(join(dir, 'run.lua'), script);
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn('wrk', ['-t1', `-c${connections}`, `-d${duration}s`, '-s', join(dir, 'run.lua'), url], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.once('error', reject);
      child.once('exit', (code) => {
        if (code === 0) resolve(text);
        else reject(new Error(`wrk exited with ${String(code)}`));
      });
    });
    const json = out.split('\n').find((line) => line.startsWith('{"requests"'));
    if (!json) throw new Error(`wrk printed no figures: ${out}`);
    const m = JSON.parse(json) as { requests: number; us: number; p50: number; p99: number; errors: number };
    return { requests: m.requests, rps: m.requests / (m.us / 1e6), p50: m.p50, p99: m.p99, errors: m.errors };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
