// The benchmark's issue-17 sections (run.ts prints them): the AWS protocol with real SigV4 beside the native API, and
// keys at scale (random keys over a large filled store beside one hot key); processes.ts has the others. Each is
// interleaved rounds of two runs, medians, and the ratio its target in issue 17 is stated in.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fill } from './fill.js';
import { headersFor, load, startTarget, stop, type Request, type Result, type Target } from './load.js';
import { signKmsRequest, type AwsCredentials } from './sigv4-sign.js';
import { interleaved, medianOf, ms, ratioCells } from './stats.js';

export interface Settings {
  readonly rounds: number;
  readonly duration: number;
  readonly warmup: number;
  readonly connections: number;
}

export const KIB = randomBytes(1024).toString('base64');

export async function post(target: Target, path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(target.url + path, {
    method: 'POST',
    headers: headersFor(target),
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

export const keyIdOf = (res: Record<string, unknown>) => (res.keyMetadata as { keyId: string }).keyId;

/** Two runs, interleaved over the rounds, each warmed up first; the rounds' results. */
export async function pair(
  s: Settings,
  a: () => (d: number) => Promise<Result>,
  b: () => (d: number) => Promise<Result>,
) {
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

export const rps = (r: Result) => r.rps;
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
 * one hot key of them and under a key drawn at random per request (target: random ≥ 0.8× hot). `serverDist`: run
 * the server from another build (BENCH_BASELINE_DIST: before and after in one run). The server's CPU per request,
 * hot and random, is beside them: steadier than req/s on a shared machine.
 */
export async function scaleRows(s: Settings, count: number, serverDist?: string): Promise<string[][]> {
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
    await writeFile(hotFile, `${ids[0] ?? ''}\n`);
    const env = serverDist ? { ...process.env, BENCH_SERVER_DIST: serverDist } : process.env;
    const custos = await startTarget(['custos', dataDir], env);
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
          `encrypt 1 KiB, ${count} keys${serverDist ? ', baseline build' : ''}`,
          hot.rps.toFixed(0),
          ms(hot.p99),
          random.rps.toFixed(0),
          ms(random.p99),
          ...ratioCells(b, a, rps),
          us(hot),
          us(random),
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
