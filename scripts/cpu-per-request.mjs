// CPU per request of the native API (bearer token) and the AWS protocol (SigV4) for the same operations, on one or
// more builds of the server side by side (docs/performance.md, "Profiling"). Each build runs in its own process
// (optionally under `node --cpu-prof`); wrk drives each (operation, protocol, build) in turn, the order of the builds
// alternating every round, and the script reads the server process's CPU time from /proc/<pid>/stat around each run.
// Prints medians over the rounds: µs of server CPU per request, req/s, and the AWS/native ratio of each build.
// Usage: node scripts/cpu-per-request.mjs [label=path/to/dist/api/server.js ...]
// Settings: DURATION (s per run, default 5), ROUNDS (default 3), CONNECTIONS (default 64), OPS (comma list of
// encrypt,decrypt,sign,generateDataKey), CPU_PROF_DIR (run every server under --cpu-prof, profiles written there
// on exit), PROTOCOL (native or aws: that one alone, for a profile of one path). Linux only (/proc); needs wrk.
import { execFileSync, spawn } from 'node:child_process';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const DURATION = Number(process.env.DURATION ?? 5);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 64);
const OPS = (process.env.OPS ?? 'encrypt,decrypt,sign,generateDataKey').split(',');
const PROF_DIR = process.env.CPU_PROF_DIR;
/** One protocol only (native or aws): for a profile of one path; the table then shows it alone. */
const ONLY = process.env.PROTOCOL;
const REGION = 'us-east-1';
const TICKS = 100; // USER_HZ: /proc's CPU times are in these

const builds = (process.argv.slice(2).length ? process.argv.slice(2) : ['this=packages/custos/dist/api/server.js']).map(
  (arg) => {
    const eq = arg.indexOf('=');
    return { label: arg.slice(0, eq), module: resolve(arg.slice(eq + 1)) };
  },
);
const work = mkdtempSync(join(tmpdir(), 'custos-cpu-'));

/** Starts one build's server in its own process; resolves to { url, token, pid, child }. */
async function startServer(build, index) {
  const code = `
    const { startServer } = await import(${JSON.stringify(build.module)});
    const server = await startServer({ dataDir: ${JSON.stringify(join(work, `data-${index}`))}, listen: '127.0.0.1:0', logger: false });
    process.stdout.write(JSON.stringify({ url: server.url, token: server.adminToken }) + '\\n');
    process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));`;
  const prof = PROF_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${PROF_DIR}`, `--cpu-prof-name=${build.label}.cpuprofile`]
    : [];
  const file = join(work, `server-${index}.mjs`);
  writeFileSync(file, code);
  const child = spawn(process.execPath, [...prof, file], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise((resolveLine, reject) => {
    createInterface({ input: child.stdout }).once('line', resolveLine);
    child.once('exit', (c) => reject(new Error(`server exited with ${c}`)));
  });
  return { ...JSON.parse(line), pid: child.pid, child };
}

async function rest(server, path, body) {
  const res = await fetch(server.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** The keys, blob and access key each server's runs use. */
async function setUp(server) {
  const aes = (await rest(server, '/v1/keys', { description: 'cpu aes' })).keyMetadata.keyId;
  const ecc = (await rest(server, '/v1/keys', { keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' })).keyMetadata.keyId;
  const plaintext = randomBytes(1024).toString('base64');
  const { ciphertextBlob } = await rest(server, `/v1/keys/${aes}/encrypt`, { plaintext });
  const accessKey = await rest(server, '/v1/access-keys', { roles: ['admin'], principal: 'cpu' });
  return { aes, ecc, plaintext, ciphertextBlob, accessKey };
}

/** The same operation on both protocols: [path, body] natively, [target, body] for AWS. */
function requests(op, k) {
  switch (op) {
    case 'encrypt':
      return {
        native: [`/v1/keys/${k.aes}/encrypt`, { plaintext: k.plaintext }],
        aws: ['Encrypt', { KeyId: k.aes, Plaintext: k.plaintext }],
      };
    case 'decrypt':
      return {
        native: ['/v1/decrypt', { ciphertextBlob: k.ciphertextBlob }],
        aws: ['Decrypt', { CiphertextBlob: k.ciphertextBlob }],
      };
    case 'sign':
      return {
        native: [`/v1/keys/${k.ecc}/sign`, { message: k.plaintext, signingAlgorithm: 'ECDSA_SHA_256' }],
        aws: ['Sign', { KeyId: k.ecc, Message: k.plaintext, MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256' }],
      };
    case 'generateDataKey':
      return {
        native: [`/v1/keys/${k.aes}/data-key`, { keySpec: 'AES_256' }],
        aws: ['GenerateDataKey', { KeyId: k.aes, KeySpec: 'AES_256' }],
      };
    default:
      throw new Error(`unknown operation ${op}`);
  }
}

/** SigV4 headers for POST / (as the AWS SDK signs: host, content-type, x-amz-*): valid for 15 minutes, repeatable. */
function sigv4Headers(url, accessKey, target, body) {
  const host = new URL(url).host;
  const amzDate = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const date = amzDate.slice(0, 8);
  const payloadHash = createHash('sha256').update(body).digest('hex');
  const headers = {
    'content-type': 'application/x-amz-json-1.1',
    host,
    'x-amz-content-sha256': payloadHash,
    'x-amz-date': amzDate,
    'x-amz-target': `TrentService.${target}`,
  };
  const names = Object.keys(headers).sort();
  const canonical = `POST\n/\n\n${names.map((n) => `${n}:${headers[n]}\n`).join('')}\n${names.join(';')}\n${payloadHash}`;
  const scope = `${date}/${REGION}/kms/aws4_request`;
  const toSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${createHash('sha256').update(canonical).digest('hex')}`;
  let key = Buffer.from(`AWS4${accessKey.secretAccessKey}`);
  for (const part of [date, REGION, 'kms', 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  const { host: _host, ...sent } = headers; // wrk sends Host itself (the same value)
  return {
    ...sent,
    authorization: `AWS4-HMAC-SHA256 Credential=${accessKey.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
  };
}

function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

/** One wrk run; its requests, req/s and the server's CPU µs per request. */
function run(server, path, headers, body) {
  const lua = join(work, 'request.lua');
  const lines = Object.entries(headers).map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`);
  writeFileSync(lua, `wrk.method = "POST"\nwrk.body = [[${body}]]\n${lines.join('\n')}\n`);
  const before = cpuSeconds(server.pid);
  const out = execFileSync('wrk', ['-t1', `-c${CONNECTIONS}`, `-d${DURATION}s`, '-s', lua, server.url + path], {
    encoding: 'utf8',
  });
  const cpu = cpuSeconds(server.pid) - before;
  const total = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
  const failed = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  if (failed > 0 || total === 0) throw new Error(`${path}: ${failed} failed of ${total}\n${out}`);
  return { rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]), us: (cpu / total) * 1e6 };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return (s[Math.floor((s.length - 1) / 2)] + s[Math.ceil((s.length - 1) / 2)]) / 2;
};

const servers = [];
try {
  for (const [i, build] of builds.entries()) servers.push(await startServer(build, i));
  const setups = await Promise.all(servers.map(setUp));
  const results = {}; // `${op} ${label} ${proto}` → [{ rps, us }]
  const record = (key, value) => (results[key] ??= []).push(value);
  const once = (i, op, proto) => {
    const server = servers[i];
    const [where, payload] = requests(op, setups[i])[proto];
    const body = JSON.stringify(payload);
    return proto === 'native'
      ? run(server, where, { 'content-type': 'application/json', authorization: `Bearer ${server.token}` }, body)
      : run(server, '/', sigv4Headers(server.url, setups[i].accessKey, where, body), body);
  };
  // Warm-up (not measured): the JIT compiles each path first.
  for (const op of OPS)
    for (const i of servers.keys())
      for (const proto of ['native', 'aws']) if (!ONLY || proto === ONLY) once(i, op, proto);
  for (let round = 0; round < ROUNDS; round += 1) {
    const order = round % 2 === 0 ? [...servers.keys()] : [...servers.keys()].reverse();
    for (const op of OPS) {
      for (const i of order) {
        const protos = (round + i) % 2 === 0 ? ['native', 'aws'] : ['aws', 'native'];
        const none = { us: NaN, rps: NaN };
        const r = Object.fromEntries(protos.map((p) => [p, ONLY && p !== ONLY ? none : once(i, op, p)]));
        record(`${op} ${builds[i].label} native`, r.native);
        record(`${op} ${builds[i].label} aws`, r.aws);
        record(`${op} ${builds[i].label} ratio`, { us: r.aws.us / r.native.us, rps: r.aws.rps / r.native.rps });
      }
    }
  }
  console.log(
    `CPU per request (µs, server process), medians of ${ROUNDS} rounds of ${DURATION} s, ${CONNECTIONS} connections`,
  );
  console.log('| operation | build | native µs | AWS µs | AWS/native CPU | native req/s | AWS req/s |');
  console.log('|---|---|---|---|---|---|---|');
  for (const op of OPS) {
    for (const { label } of builds) {
      const m = (proto, field) => median(results[`${op} ${label} ${proto}`].map((x) => x[field]));
      console.log(
        `| ${op} | ${label} | ${m('native', 'us').toFixed(0)} | ${m('aws', 'us').toFixed(0)} | ${m('ratio', 'us').toFixed(2)} | ${m('native', 'rps').toFixed(0)} | ${m('aws', 'rps').toFixed(0)} |`,
      );
    }
  }
} finally {
  await Promise.all(
    servers.map(
      (s) =>
        new Promise((done) => {
          s.child.once('exit', done);
          s.child.kill('SIGTERM');
        }),
    ),
  );
  rmSync(work, { recursive: true, force: true });
}
