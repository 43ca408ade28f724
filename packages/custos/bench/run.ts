// `npm run bench`: drives a real Custos server (auth on, audit durable before each reply) and the bare Fastify
// ceiling over loopback with wrk when it is installed (one thread; autocannon otherwise, and the output says which:
// load.ts), and prints requests/s, p50, p99 and the ratio to the ceiling.
// Each operation is first warmed up on both (1 s each, not measured: the JIT has far more of Custos to compile),
// then measured in rounds, each round one run of each back to back, the order alternating (ceiling first, then
// Custos first, …). Figures are medians over the rounds; the ratios are the medians of each round's ratio, so a
// slow spell of this shared machine moves both sides of a ratio rather than one figure. The range of the round
// ratios is printed too.
// A second table gives each target's CPU per request (from /proc, so Linux only): its event loop's and the whole
// process's (the audit worker and libuv's threads too), and how busy its event loop was — a ratio that misses
// because of more work per request and one that misses because requests wait (for their audit commit) look alike
// in requests/s but not here.
// Then the issue-17 sections (sections.ts, processes.ts), each in the same interleaved rounds: the AWS protocol with real SigV4
// beside the native API (CPU per request, target ≤ 1.1×); encrypt over random keys among BENCH_KEYS keys (a store
// filled by fill.ts) beside one hot key (target ≥ 0.8×); the bare route as 1 and 2 processes and
// `custos server --workers` 1 and 2 (skipped, saying so, when the server has no --workers); LocalKms in-process
// against raw node:crypto with 64 calls in flight (target ≥ 0.5×).
// Then encrypt and sign again on PostgreSQL: one node, and two nodes sharing the database (load split evenly).
// Then the roots of trust: encrypt 1 KiB and sign P-256 with a software key under the file root and under a PKCS#11
// root (SoftHSM2, a token made for the run), and with an HSM-protected key (in that token) under the PKCS#11 root,
// each with the key cache off (every request unwraps its key, or reads its version: first use) and on (cached), and
// the ratio to the file root's software-key figure (BENCH_PKCS11=off skips; skipped when softhsm2 is absent).
// Settings: BENCH_DURATION (s per run, default 4), BENCH_ROUNDS (default 5), BENCH_WARMUP (s, default 1; 0 skips),
// BENCH_CONNECTIONS (default 64), BENCH_OPS (comma list), BENCH_POSTGRES_URL (default
// postgres://postgres@127.0.0.1:5432/test; 'off' skips the PostgreSQL runs), BENCH_DRIVER=autocannon (even with
// wrk), BENCH_KEYS (keys in the large store, default 1000000; 0 skips), BENCH_STORE (a directory to keep the filled
// store in between runs), BENCH_AWS, BENCH_WORKERS, BENCH_INPROCESS ('off' skips each), BENCH_SERVER_DIST (another
// build's dist/ to run the Custos server from, child.ts, its CLI for the --workers rows and its LocalKms for the
// in-process row), BENCH_BASELINE_DIST (another build's dist/: the keys-at-scale rows again with its server, before
// and after in one run).
// Then POST /v1/batch (batch.ts: single encrypts against batches of 100, items/s; BENCH_BATCH=off skips) and the
// post-quantum micro-benchmark, in-process on the runtime's implementation (pq.ts; BENCH_PQ=off skips).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import pg from 'pg';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BATCH_SIZE, benchBatch, type BatchBenchResult } from './batch.js';
import { tenStatementPolicy } from './key-policy.js';
import { benchPq, formatPqTable } from './pq.js';
import { headersFor, load, startTarget, stop, WRK, type Result, type Target } from './load.js';
import { coreRows, inProcessRows } from './processes.js';
import { awsRows, scaleRows, type Settings } from './sections.js';
import { cpuCells, median, medianOf, ms, nth, printTable } from './stats.js';

const DURATION = Number(process.env.BENCH_DURATION ?? 4);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5));
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP ?? 1);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const KEYS = Number(process.env.BENCH_KEYS ?? 1_000_000);
const SETTINGS: Settings = { rounds: ROUNDS, duration: DURATION, warmup: WARMUP_SECONDS, connections: CONNECTIONS };
const on = (name: string) => process.env[name] !== 'off';

/** A section's rows, or none and a line saying why it was skipped. */
async function section<T>(name: string, run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    console.error(`${name} skipped: ${(error as Error).message}`);
    skipped.push(`${name} skipped: ${(error as Error).message}`);
    return undefined;
  }
}
const skipped: string[] = [];
async function post(target: Target, path: string, body: unknown): Promise<Record<string, string>> {
  const res = await fetch(target.url + path, {
    method: 'POST',
    headers: headersFor(target),
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, string>;
}

interface Scenario {
  name: string;
  path: (keys: Keys) => string;
  body: (keys: Keys) => unknown;
}
interface Keys {
  aes: string;
  /** An AES key with a ten-statement policy with conditions (key-policy.ts). */
  aesPolicy: string;
  ecc: string;
  blob: string;
}

const KIB = randomBytes(1024).toString('base64');
const POLICY_ROW = 'encrypt 1 KiB, 10-statement policy';
const SCENARIOS: Scenario[] = [
  { name: 'encrypt 1 KiB', path: (k) => `/v1/keys/${k.aes}/encrypt`, body: () => ({ plaintext: KIB }) },
  {
    name: POLICY_ROW,
    path: (k) => `/v1/keys/${k.aesPolicy}/encrypt`,
    body: () => ({ plaintext: KIB }),
  },
  { name: 'decrypt 1 KiB', path: () => '/v1/decrypt', body: (k) => ({ ciphertextBlob: k.blob }) },
  {
    name: 'sign ECDSA P-256',
    path: (k) => `/v1/keys/${k.ecc}/sign`,
    body: () => ({ message: KIB, signingAlgorithm: 'ECDSA_SHA_256' }),
  },
  { name: 'generateDataKey', path: (k) => `/v1/keys/${k.aes}/data-key`, body: () => ({ keySpec: 'AES_256' }) },
];

/** One run of a fixed JSON request against `target`. */
function run(
  target: Target,
  path: string,
  body: unknown,
  connections = CONNECTIONS,
  duration = DURATION,
): Promise<Result> {
  return load(target, { path, headers: headersFor(target), body: JSON.stringify(body) }, connections, duration);
}

async function keysFor(target: Target, baseline: boolean, protectionLevel?: 'HSM'): Promise<Keys> {
  if (baseline) {
    const res = await fetch(`${target.url}/blob`);
    return {
      aes: 'baseline',
      aesPolicy: 'baseline',
      ecc: 'baseline',
      blob: ((await res.json()) as { ciphertextBlob: string }).ciphertextBlob,
    };
  }
  const level = protectionLevel ? { protectionLevel } : {};
  const aes = (await post(target, '/v1/keys', { keySpec: 'SYMMETRIC_DEFAULT', ...level })) as unknown as {
    keyMetadata: { keyId: string };
  };
  const ecc = (await post(target, '/v1/keys', {
    keySpec: 'ECC_NIST_P256',
    keyUsage: 'SIGN_VERIFY',
    ...level,
  })) as unknown as {
    keyMetadata: { keyId: string };
  };
  const aesPolicy = (await post(target, '/v1/keys', { ...level, policy: tenStatementPolicy() })) as unknown as {
    keyMetadata: { keyId: string };
  };
  const { ciphertextBlob } = await post(target, `/v1/keys/${aes.keyMetadata.keyId}/encrypt`, { plaintext: KIB });
  if (ciphertextBlob === undefined) throw new Error('Encrypt answered without a ciphertextBlob');
  return {
    aes: aes.keyMetadata.keyId,
    aesPolicy: aesPolicy.keyMetadata.keyId,
    ecc: ecc.keyMetadata.keyId,
    blob: ciphertextBlob,
  };
}

const only = process.env.BENCH_OPS?.split(',');
const scenarios = SCENARIOS.filter((s) => !only || only.some((o) => s.name.startsWith(o)));
const dataDir = await mkdtemp(join(tmpdir(), 'custos-bench-'));
const rows: string[][] = [];
const cpuRows: string[][] = [];
let awsTable: string[][] | undefined;
let batchResult: BatchBenchResult | undefined;
try {
  const ceiling = await startTarget(['baseline']);
  const custos = await startTarget(['custos', dataDir]);
  try {
    const ceilingKeys = await keysFor(ceiling, true);
    const custosKeys = await keysFor(custos, false);
    for (const scenario of scenarios) {
      const runCeiling = (duration?: number) =>
        run(ceiling, scenario.path(ceilingKeys), scenario.body(ceilingKeys), CONNECTIONS, duration);
      const runCustos = (duration?: number) =>
        run(custos, scenario.path(custosKeys), scenario.body(custosKeys), CONNECTIONS, duration);
      if (WARMUP_SECONDS > 0) {
        await runCeiling(WARMUP_SECONDS);
        await runCustos(WARMUP_SECONDS);
      }
      const bases: Result[] = [];
      const ourRuns: Result[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        if (round % 2 === 0) {
          bases.push(await runCeiling());
          ourRuns.push(await runCustos());
        } else {
          ourRuns.push(await runCustos());
          bases.push(await runCeiling());
        }
      }
      const base = medianOf(bases);
      const ours = medianOf(ourRuns);
      const ratios = ourRuns.map((r, i) => r.rps / nth(bases, i).rps);
      const p99Ratios = ourRuns.map((r, i) => r.p99 / Math.max(nth(bases, i).p99, 1));
      rows.push([
        scenario.name,
        ours.rps.toFixed(0),
        ms(ours.p50),
        ms(ours.p99),
        base.rps.toFixed(0),
        ms(base.p99),
        median(ratios).toFixed(2),
        `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`,
        median(p99Ratios).toFixed(2),
        String(ours.errors + base.errors),
      ]);
      cpuRows.push([scenario.name, ...cpuCells(ours), ...cpuCells(base)]);
      console.error(`done: ${scenario.name}`);
    }
    if (on('BENCH_AWS')) awsTable = await section('AWS protocol runs', () => awsRows(SETTINGS, custos));
    if (on('BENCH_BATCH'))
      batchResult = await section('batch runs', () =>
        benchBatch(custos, { keyId: custosKeys.aes, rounds: ROUNDS, duration: DURATION, connections: CONNECTIONS }),
      );
  } finally {
    await Promise.all([stop(ceiling), stop(custos)]);
  }
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
const scaleTable = KEYS > 0 ? await section('random-keys runs', () => scaleRows(SETTINGS, KEYS)) : undefined;
const BASELINE_DIST = process.env.BENCH_BASELINE_DIST;
if (scaleTable && BASELINE_DIST)
  scaleTable.push(
    ...((await section('baseline random-keys runs', () => scaleRows(SETTINGS, KEYS, BASELINE_DIST))) ?? []),
  );
const pqRows = on('BENCH_PQ') ? await section('post-quantum runs', () => benchPq()) : undefined;
const cores = on('BENCH_WORKERS') ? await section('process runs', () => coreRows(SETTINGS)) : undefined;
const inProcess = on('BENCH_INPROCESS') ? await section('in-process runs', () => inProcessRows(SETTINGS)) : undefined;

const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const pgRows: string[][] = [];
if (POSTGRES_URL !== 'off') {
  const schema = `custos_bench_${process.pid}`;
  const [dirA, dirB] = [
    await mkdtemp(join(tmpdir(), 'custos-bench-a-')),
    await mkdtemp(join(tmpdir(), 'custos-bench-b-')),
  ];
  const rootKeyFile = join(dirA, 'shared-root.key');
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  try {
    await admin.connect();
    const nodeA = await startTarget(['custos', dirA, POSTGRES_URL, schema, rootKeyFile]);
    const nodeB = await startTarget(['custos', dirB, POSTGRES_URL, schema, rootKeyFile]);
    nodeB.token = nodeA.token;
    try {
      const keys = await keysFor(nodeA, false);
      for (const scenario of scenarios.filter(
        (s) => s.name !== POLICY_ROW && (s.name.startsWith('encrypt') || s.name.startsWith('sign')),
      )) {
        const half = Math.max(1, Math.floor(CONNECTIONS / 2));
        if (WARMUP_SECONDS > 0) {
          await Promise.all([
            run(nodeA, scenario.path(keys), scenario.body(keys), half, WARMUP_SECONDS),
            run(nodeB, scenario.path(keys), scenario.body(keys), CONNECTIONS - half, WARMUP_SECONDS),
          ]);
        }
        const one = await run(nodeA, scenario.path(keys), scenario.body(keys));
        const [a, b] = await Promise.all([
          run(nodeA, scenario.path(keys), scenario.body(keys), half),
          run(nodeB, scenario.path(keys), scenario.body(keys), CONNECTIONS - half),
        ]);
        pgRows.push([
          scenario.name,
          one.rps.toFixed(0),
          ms(one.p99),
          (a.rps + b.rps).toFixed(0),
          ms(Math.max(a.p99, b.p99)),
          String(one.errors + a.errors + b.errors),
        ]);
        console.error(`done on PostgreSQL: ${scenario.name}`);
      }
    } finally {
      await Promise.all([stop(nodeA), stop(nodeB)]);
    }
  } catch (error) {
    console.error(`PostgreSQL runs skipped: ${(error as Error).message}`);
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await admin.end().catch(() => undefined);
    for (const dir of [dirA, dirB]) await rm(dir, { recursive: true, force: true });
  }
}

const SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so';
const rootRows: string[][] = [];
if (process.env.BENCH_PKCS11 !== 'off') {
  const dir = await mkdtemp(join(tmpdir(), 'custos-bench-hsm-'));
  try {
    if (!existsSync(SOFTHSM_MODULE)) throw new Error(`${SOFTHSM_MODULE} is missing (apt-get install softhsm2)`);
    await mkdir(join(dir, 'tokens'));
    const conf = join(dir, 'softhsm2.conf');
    await writeFile(conf, `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\n`);
    process.env.SOFTHSM2_CONF = conf; // inherited by the targets
    const pin = randomBytes(8).toString('hex');
    await writeFile(join(dir, 'pin'), pin, { mode: 0o600 });
    execFileSync('softhsm2-util', ['--init-token', '--free', '--label', 'bench', '--so-pin', pin, '--pin', pin], {
      stdio: 'ignore',
    });
    const hsmArgs = [SOFTHSM_MODULE, 'bench', join(dir, 'pin')];
    const figures = new Map<string, Result>();
    for (const [root, extra] of [
      ['file root', []],
      ['HSM root', hsmArgs],
    ] as const) {
      for (const [cache, ttl] of [
        ['first use', '0'],
        ['cached', '60000'],
      ] as const) {
        const target = await startTarget([
          'custos-root',
          join(dir, `${root}-${cache}`.replace(/ /g, '-')),
          ttl,
          ...extra,
        ]);
        try {
          // Under the HSM root, HSM-protected keys too (made and used in the token); the ratio is always to the
          // file root's software key in the same cache setting.
          const kinds = root === 'HSM root' ? (['software key', 'HSM key'] as const) : (['software key'] as const);
          for (const kind of kinds) {
            const keys = await keysFor(target, false, kind === 'HSM key' ? 'HSM' : undefined);
            for (const scenario of scenarios.filter(
              (s) => s.name !== POLICY_ROW && (s.name.startsWith('encrypt') || s.name.startsWith('sign')),
            )) {
              if (WARMUP_SECONDS > 0)
                await run(target, scenario.path(keys), scenario.body(keys), CONNECTIONS, WARMUP_SECONDS);
              const result = await run(target, scenario.path(keys), scenario.body(keys));
              figures.set(`${root}|${kind}|${cache}|${scenario.name}`, result);
              const file = figures.get(`file root|software key|${cache}|${scenario.name}`);
              rootRows.push([
                `${root}, ${kind}, ${scenario.name}, ${cache}`,
                result.rps.toFixed(0),
                ms(result.p99),
                file ? (result.rps / file.rps).toFixed(2) : '-',
                String(result.errors),
              ]);
            }
          }
        } finally {
          await stop(target);
        }
      }
    }
    console.error('done: roots of trust');
  } catch (error) {
    console.error(`root-of-trust runs skipped: ${(error as Error).message}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

console.log(WRK ? 'load: wrk, one thread' : 'load: autocannon (wrk is not installed)');
console.log(
  `connections ${CONNECTIONS}, ${ROUNDS} rounds of ${DURATION} s per target, order alternating (medians; ratios: median of the rounds' ratios), node ${process.version}`,
);
printTable(
  [
    'operation',
    'custos req/s',
    'p50',
    'p99',
    'ceiling req/s',
    'ceiling p99',
    'ratio',
    'round ratios',
    'p99 ratio',
    'errors',
  ],
  rows,
);
const policyRow = rows.find((r) => r[0] === POLICY_ROW);
const defaultRow = rows.find((r) => r[0] === 'encrypt 1 KiB');
if (policyRow && defaultRow)
  console.log(
    `key policy: encrypt with a ten-statement policy with conditions / with the default policy = ${(
      Number(policyRow[1]) / Number(defaultRow[1])
    ).toFixed(2)} (req/s, same run)`,
  );
console.log('');
console.log('CPU per request, event loop / whole process (medians), and how busy the event loop was');
printTable(['operation', 'custos CPU', 'custos busy', 'ceiling CPU', 'ceiling busy'], cpuRows);
if (pgRows.length > 0) {
  console.log('');
  printTable(['PostgreSQL', '1 node req/s', '1 node p99', '2 nodes req/s', '2 nodes p99', 'errors'], pgRows);
}
if (rootRows.length > 0) {
  console.log('');
  console.log(
    'Software keys under each root of trust, and HSM-protected keys (SoftHSM2: the cost of the PKCS#11 path, not of a ' +
      'real HSM): key cache off (first use) and on',
  );
  printTable(['root, key, operation, cache', 'req/s', 'p99', 'vs file root', 'errors'], rootRows);
}
if (awsTable) {
  console.log('');
  console.log('AWS protocol (SigV4, access key) beside the native API (bearer token), same server: CPU per request');
  printTable(
    ['AWS protocol', 'native req/s', 'AWS req/s', 'native CPU', 'AWS CPU', 'CPU ratio', 'round ratios', 'errors'],
    awsTable,
  );
}
if (scaleTable) {
  console.log('');
  console.log('Keys at scale: encrypt under one hot key and under a key drawn at random per request (target ≥ 0.8)');
  printTable(
    [
      'store',
      'hot req/s',
      'hot p99',
      'random req/s',
      'random p99',
      'ratio',
      'round ratios',
      'hot CPU',
      'random CPU',
      'errors',
    ],
    scaleTable,
  );
}
if (cores) {
  console.log('');
  console.log('Processes: encrypt 1 KiB, custos server --workers N against the bare route as N processes');
  printTable(['processes', 'bare req/s', 'bare p99', 'custos req/s', 'custos p99', 'ratio'], cores.rows);
  if (cores.note) console.log(cores.note);
}
if (inProcess) {
  console.log('');
  printTable(['in-process', 'LocalKms calls/s', 'node:crypto calls/s', 'ratio', 'round ratios'], inProcess);
}
if (batchResult) {
  console.log('');
  console.log(
    `Batch: encrypt 1 KiB as single requests (${String(CONNECTIONS)} connections) and as POST /v1/batch of ` +
      `${String(BATCH_SIZE)} items, items/s (medians)`,
  );
  printTable(
    ['batch', 'single items/s', 'batch items/s', 'ratio', 'round ratios', 'errors'],
    [
      [
        'encrypt 1 KiB',
        batchResult.singleItemsPerSecond.toFixed(0),
        batchResult.batchItemsPerSecond.toFixed(0),
        batchResult.ratio.toFixed(2),
        `${batchResult.ratioRange[0].toFixed(2)}–${batchResult.ratioRange[1].toFixed(2)}`,
        String(batchResult.errors),
      ],
    ],
  );
}
if (pqRows) {
  console.log('');
  console.log(formatPqTable(pqRows));
}
for (const line of skipped) console.log(line);
