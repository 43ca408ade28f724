// The packed tarballs (`npm run pack`) installed into a project of their own, outside the checkout, and used as an
// application uses them: the README's snippets (app.mjs, stream.mjs, local.mjs, aws-sdk.mjs) run with `node` against
// the installed `custos server`. Needs `npm run build` first (the root `npm test` does it). Third-party dependencies
// come from the npm cache or registry (--prefer-offline); no @custos package ever comes from a registry.
//
// Install scripts are skipped (`--ignore-scripts`): on Node 20 better-sqlite3 12 would download its prebuilt binary
// from GitHub or compile for about five minutes. The checkout's build of the same version stands for that binary (on
// Node 22 and later, better-sqlite3 13 ships its binaries in the package). CUSTOS_PACKAGE_TEST_INSTALL_SCRIPTS=1
// runs the install scripts instead, as `npm install` does for an application.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, lstat, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, freePort } from '../cli/helpers.js';
import { readmeSnippet, readmeSnippets } from '../helpers/readme-snippets.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const require = createRequire(import.meta.url);
const SCRIPTS = process.env.CUSTOS_PACKAGE_TEST_INSTALL_SCRIPTS === '1';
const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

/** The environment of a shell outside this checkout: no CUSTOS_*, no npm_* set by `npm test` around vitest. */
function outsideEnv(extra: Record<string, string> = {}): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(cleanEnv(extra)).filter(([key]) => !/^npm_/i.test(key)));
}

let work: string;
let app: string;
let server: ChildProcess | undefined;
let serverLog = '';
let endpoint: string;

/** Runs `file` of the app with node; its stdout. */
async function node(args: string[], env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await run(process.execPath, args, { cwd: app, env: outsideEnv(env), timeout: 60_000 });
  return stdout;
}

/** The installed `custos` command. */
function custos(args: string[], env: Record<string, string> = {}): Promise<string> {
  return node([join(app, 'node_modules/custos/bin/custos.js'), ...args], env);
}

async function waitHealthy(url: string): Promise<void> {
  for (const until = Date.now() + 30_000; Date.now() < until; await new Promise((r) => setTimeout(r, 200))) {
    if (server?.exitCode != null) throw new Error(`the installed server exited with ${server.exitCode}: ${serverLog}`);
    if (
      await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
  }
  throw new Error(`the installed server did not become healthy: ${serverLog}`);
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'custos-packages-'));
  app = join(work, 'my-app');
  await mkdir(app);
  const packed = join(work, 'packed');
  await run(process.execPath, [join(ROOT, 'scripts/pack-packages.js'), packed], { cwd: ROOT, env: outsideEnv() });
  // In dependency order, as the script packs them; npm resolves each @custos dependency from its neighbours.
  const tarballs = ['custos-contract-0.1.0.tgz', 'custos-client-0.1.0.tgz', 'custos-0.1.0.tgz'];
  expect((await readdir(packed)).sort()).toEqual([...tarballs].sort());
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'my-app', private: true, type: 'module' }));
  const awsSdk = `@aws-sdk/client-kms@${(require('@aws-sdk/client-kms/package.json') as { version: string }).version}`;
  await run(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      ...(SCRIPTS ? [] : ['--ignore-scripts']),
      ...tarballs.map((t) => join(packed, t)),
      awsSdk,
    ],
    { cwd: app, env: outsideEnv(), timeout: SCRIPTS ? 900_000 : 240_000 },
  );
  if (!SCRIPTS && NODE_MAJOR < 22) {
    const ours = dirname(require.resolve('better-sqlite3/package.json'));
    const theirs = join(app, 'node_modules/better-sqlite3');
    const version = async (dir: string) =>
      (JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
    expect(await version(theirs), 'the checkout built another better-sqlite3 than the app installed').toBe(
      await version(ours),
    );
    await mkdir(join(theirs, 'build/Release'), { recursive: true });
    await copyFile(join(ours, 'build/Release/better_sqlite3.node'), join(theirs, 'build/Release/better_sqlite3.node'));
  }
  const port = await freePort();
  endpoint = `http://127.0.0.1:${port}`;
  for (const [name, body] of readmeSnippets(endpoint))
    if (name.endsWith('.mjs')) await writeFile(join(app, name), body);
  server = spawn(
    process.execPath,
    [
      join(app, 'node_modules/custos/bin/custos.js'),
      'server',
      '--data-dir',
      'server-data',
      '--listen',
      `127.0.0.1:${port}`,
    ],
    { cwd: app, env: outsideEnv({ CUSTOS_LOG_LEVEL: 'warn' }), stdio: ['ignore', 'ignore', 'pipe'] },
  );
  server.stderr!.setEncoding('utf8').on('data', (d: string) => (serverLog += d));
  await waitHealthy(endpoint);
}, 960_000);

afterAll(async () => {
  if (server?.exitCode === null) {
    const exited = new Promise((r) => server!.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the packed packages, installed in a project of their own', { timeout: 120_000 }, () => {
  it('come from the tarballs, not from the checkout or a registry', async () => {
    const lock = JSON.parse(await readFile(join(app, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { resolved?: string }>;
    };
    for (const name of ['@custos/contract', '@custos/client', 'custos']) {
      expect(lock.packages[`node_modules/${name}`]?.resolved).toMatch(/^file:.*\.tgz$/);
      expect((await lstat(join(app, 'node_modules', name))).isSymbolicLink()).toBe(false);
    }
    expect(Object.keys(lock.packages).filter((p) => /node_modules\/.*node_modules\/@custos\//.test(p))).toEqual([]);
    const resolved = await node(['--input-type=module', '-e', "console.log(import.meta.resolve('@custos/client'))"]);
    expect(resolved.trim()).toBe(`file://${join(app, 'node_modules/@custos/client/dist/index.js')}`);
  });

  it('RemoteKms: the README app.mjs and stream.mjs round trip through the installed server', async () => {
    const adminToken = (await readFile(join(app, 'server-data/admin.token'), 'utf8')).trim();
    const asAdmin = { CUSTOS_ENDPOINT: endpoint, CUSTOS_TOKEN: adminToken };
    await custos(['key', 'create', '--spec', 'SYMMETRIC_DEFAULT', '--alias', 'alias/orders', '--json'], asAdmin);
    const { token } = JSON.parse(await custos(['token', 'create', '--role', 'key-user', '--json'], asAdmin)) as {
      token: string;
    };
    expect(await node(['app.mjs'], { CUSTOS_TOKEN: token })).toBe('hi\n');

    const big = randomBytes(300_000);
    await writeFile(join(app, 'big.bin'), big);
    await node(['stream.mjs', 'big.bin'], { CUSTOS_TOKEN: token });
    expect((await readFile(join(app, 'big.bin.cste'))).subarray(0, 4).toString()).toBe('CSTE');
    expect((await readFile(join(app, 'big.bin.back'))).equals(big)).toBe(true);
  });

  it('the AWS SDK: the README aws-sdk.mjs gets a data key from the installed server', async () => {
    const adminToken = (await readFile(join(app, 'server-data/admin.token'), 'utf8')).trim();
    const asAdmin = { CUSTOS_ENDPOINT: endpoint, CUSTOS_TOKEN: adminToken };
    await custos(['key', 'create', '--alias', 'alias/aws-orders', '--json'], asAdmin);
    const pair = JSON.parse(await custos(['access-key', 'create', '--role', 'key-user', '--json'], asAdmin)) as {
      accessKeyId: string;
      secretAccessKey: string;
    };
    const env = { AWS_ACCESS_KEY_ID: pair.accessKeyId, AWS_SECRET_ACCESS_KEY: pair.secretAccessKey };
    expect(await node(['aws-sdk.mjs'], { ...env, AWS_REGION: 'us-east-1' })).toBe('32 true\n');
  });

  it('LocalKms: the README local.mjs runs in its own data directory, twice (the second run finds its key)', async () => {
    expect(await node(['local.mjs'])).toBe('card 4111…\n');
    expect(await node(['local.mjs'])).toBe('card 4111…\n');
    expect((await lstat(join(app, 'app-keys/custos.db'))).isFile()).toBe(true);
  });

  it('every .mjs snippet of the README is run here', () => {
    const names = [...readmeSnippets().keys()].filter((n) => n.endsWith('.mjs')).sort();
    expect(names).toEqual(['app.mjs', 'aws-sdk.mjs', 'local.mjs', 'stream.mjs']);
    expect(readmeSnippet(readmeSnippets(), 'local.mjs')).toContain("dataDir: './app-keys'");
  });
});
