// Runs the built `custos` binary (dist/cli/main.js) as a child process, and starts a real server for it in-process.
// The tests need `npm run build` first (the root `npm test` does it).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RemoteKms } from '@custos/client';
import type { Kms } from '@custos/contract';
import { type RunningServer, startServer } from '../../src/api/server.js';

export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

export interface RunOptions {
  input?: Buffer | string;
  env?: Record<string, string | undefined>;
  cwd?: string;
  timeoutMs?: number;
}

/**
 * Environment without any CUSTOS_* variable of the developer's shell. A server runs as one process (CUSTOS_WORKERS=1:
 * no cluster, as before `--workers`; its own tests pass --workers, which wins), so that tests started side by side on
 * a loaded machine do not each fork a process per core.
 */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env = new Map(Object.entries(process.env).filter(([k]) => !k.startsWith('CUSTOS_')));
  env.set('CUSTOS_WORKERS', '1');
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) env.delete(k);
    else env.set(k, v);
  }
  return Object.fromEntries(env);
}

/** Spawns the CLI with `args`. */
export function spawnCli(args: readonly string[], options: RunOptions = {}): ChildProcess {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  return spawn(process.execPath, [CLI, ...args], {
    env: cleanEnv(options.env),
    cwd: options.cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Runs the CLI to completion, feeding `input` on stdin, collecting stdout (bytes), stderr and the exit code. */
export function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  const child = spawnCli(args, options);
  const out: Buffer[] = [];
  let err = '';
  child.stdout!.on('data', (d: Buffer) => out.push(d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  child.stdin!.on('error', () => undefined); // the CLI may exit before reading everything (usage errors)
  child.stdin!.end(options.input ?? '');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`custos ${args.join(' ')} timed out; stderr: ${err}`));
    }, options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out), stderr: err });
    });
  });
}

/** A server on a fresh temporary data directory, with its admin token and the environment pointing the CLI at it. */
export interface TestServer {
  readonly dir: string;
  readonly server: RunningServer;
  readonly token: string;
  /** The same server over RemoteKms, for setting up and checking what the CLI is not under test for (fewer spawns). */
  readonly kms: Kms;
  /** CUSTOS_ENDPOINT and CUSTOS_TOKEN for the admin. */
  readonly env: Record<string, string>;
  /** Runs the CLI as the admin (extra env entries win). */
  run(args: readonly string[], options?: RunOptions): Promise<CliResult>;
  stop(): Promise<void>;
}

export async function startTestServer(): Promise<TestServer> {
  const dir = await mkdtemp(join(tmpdir(), 'custos-cli-'));
  const server = await startServer({ dataDir: dir, listen: '127.0.0.1:0', logger: false });
  const token = server.adminToken!;
  const env = { CUSTOS_ENDPOINT: server.url, CUSTOS_TOKEN: token };
  const kms = new RemoteKms({ endpoint: server.url, token });
  return {
    dir,
    server,
    token,
    kms,
    env,
    run: (args, options = {}) => runCli(args, { ...options, env: { ...env, ...options.env } }),
    async stop() {
      await kms.close();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A TCP port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => {
        resolve(port);
      });
    });
  });
}

/** The stderr of a failed command is exactly one line `custos: <CODE>: <message>`; returns the code. */
export function errorCode(result: CliResult): string | undefined {
  const lines = result.stderr.split('\n').filter((l) => l.length > 0);
  if (lines.length !== 1) return `expected one stderr line, got ${lines.length}: ${result.stderr}`;
  return /^custos: ([A-Z_]+): \S/.exec(lines[0]!)?.[1] ?? `malformed: ${lines[0]}`;
}
