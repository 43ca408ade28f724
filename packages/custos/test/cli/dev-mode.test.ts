// `custos server --dev` as a process (docs/dev-mode.md): a temporary data directory, X-Custos-Mode on every response,
// the seed file's keys, the clock `custos dev clock` moves (a deletion window, a rotation), keys derived from the seed
// (the same in a second server), and the refusals: DEV_MODE_REQUIRED, DEV_MODE_MISMATCH, a public host, a bad seed file.
import type { ChildProcess } from 'node:child_process';
import { createHmac, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RemoteKms } from '@custos/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/api/server.js';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';
import { errorCode, freePort, runCli, spawnCli, startTestServer, type TestServer } from './helpers.js';

const SEED = 'ci-seed-19';
const AES_ID = '0b7c9a2e-6f1d-4c3b-9a8e-1d2c3b4a5f60';
const HMAC_ID = '1c8d0b3f-7a2e-4d4c-8b9f-2e3d4c5b6a71';
const ECC_ID = '2d9e1c4a-8b3f-4e5d-9c0a-3f4e5d6c7b82';
const HMAC_KEY = 'a1'.repeat(32);
const ecc = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const SEED_YAML = `# local-kms's seed format
Keys:
  Symmetric:
    Aes:
      - Metadata:
          KeyId: ${AES_ID}
          Description: seeded AES
        BackingKeys:
          - ${'5c'.repeat(32)}
    Hmac:
      - Metadata:
          KeyId: ${HMAC_ID}
          KeySpec: HMAC_256
          KeyUsage: GENERATE_VERIFY_MAC
        BackingKeys:
          - ${HMAC_KEY}
  Asymmetric:
    Ecc:
      - Metadata:
          KeyId: ${ECC_ID}
          KeyUsage: SIGN_VERIFY
        PrivateKeyPem: |
${String(ecc.privateKey.export({ type: 'pkcs8', format: 'pem' }))
  .trim()
  .split('\n')
  .map((l) => `          ${l}`)
  .join('\n')}
Aliases:
  - AliasName: alias/seeded
    TargetKeyId: ${AES_ID}
`;

let root: string;
let child: ChildProcess;
let stderr = '';
let url: string;
let dataDir: string;
let env: Record<string, string>;
let kms: RemoteKms;
let prod: TestServer;
/** The dev server's first CreateKey (the deletion test's key). */
let firstKeyId: string;

function exitOf(proc: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null) resolve(proc.exitCode);
    else
      proc.on('exit', (code) => {
        resolve(code);
      });
  });
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'custos-dev-test-'));
  const seedFile = join(root, 'seed.yaml');
  await writeFile(seedFile, SEED_YAML);
  const port = await freePort();
  child = spawnCli([
    'server',
    '--dev',
    '--dev-seed',
    SEED,
    '--dev-seed-file',
    seedFile,
    '--listen',
    `127.0.0.1:${port}`,
  ]);
  child.stdout!.resume();
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  const until = Date.now() + 60_000;
  while (!stderr.includes('listening on')) {
    if (child.exitCode !== null || Date.now() > until) throw new Error(`dev server did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  url = `http://127.0.0.1:${port}`;
  dataDir = /data directory (\S+) \(temporary/.exec(stderr)![1]!;
  const token = (await readFile(join(dataDir, 'admin.token'), 'utf8')).trim();
  env = { CUSTOS_ENDPOINT: url, CUSTOS_TOKEN: token };
  kms = new RemoteKms({ endpoint: url, token });
  prod = await startTestServer();
}, 120_000);

afterAll(async () => {
  await kms.close();
  await prod.stop();
  const exited = exitOf(child);
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(existsSync(dataDir)).toBe(false); // the temporary data directory goes with the server
  await rm(root, { recursive: true, force: true });
});

describe('custos server --dev', { timeout: 120_000 }, () => {
  it('says development mode at start and on every response: success, error and the AWS protocol', async () => {
    expect(stderr).toMatch(/development mode \(not for production\)/);
    const ok = await fetch(`${url}/healthz`);
    const unauthenticated = await fetch(`${url}/v1/keys`);
    const aws = await fetch(`${url}/`, {
      method: 'POST',
      headers: { 'x-amz-target': 'TrentService.ListKeys', 'content-type': 'application/x-amz-json-1.1' },
      body: '{}',
    });
    expect([ok.status, unauthenticated.status, aws.status]).toEqual([200, 401, 400]);
    for (const res of [ok, unauthenticated, aws]) expect(res.headers.get('x-custos-mode')).toBe('development');
    // A server not in development mode says nothing of the kind.
    expect((await fetch(`${prod.server.url}/healthz`)).headers.get('x-custos-mode')).toBeNull();
  });

  it("creates the seed file's keys with their ids and material, and its aliases", async () => {
    const aliased = await kms.describeKey({ keyId: 'alias/seeded' });
    expect(aliased.keyMetadata).toMatchObject({ keyId: AES_ID, description: 'seeded AES', keyState: 'Enabled' });
    const message = new TextEncoder().encode('seeded');
    const { mac } = await kms.generateMac({ keyId: HMAC_ID, message, macAlgorithm: 'HMAC_SHA_256' });
    expect(Buffer.from(mac).toString('hex')).toBe(
      createHmac('sha256', Buffer.from(HMAC_KEY, 'hex')).update(message).digest('hex'),
    );
    const { publicKey } = await kms.getPublicKey({ keyId: ECC_ID });
    expect(Buffer.from(publicKey)).toEqual(ecc.publicKey.export({ type: 'spki', format: 'der' }));
  });

  it('reaches a deletion window with the CLI: key schedule-deletion --days 7, dev clock --advance 7d, Destroyed', async () => {
    const created = await runCli(['key', 'create', '--json'], { env });
    expect(created.code, created.stderr).toBe(0);
    const keyId = (JSON.parse(created.stdout.toString()) as { keyId: string }).keyId;
    firstKeyId = keyId;
    const scheduled = await runCli(['key', 'schedule-deletion', keyId, '--days', '7'], { env });
    expect(scheduled.code, scheduled.stderr).toBe(0);
    const early = await runCli(['dev', 'clock', '--advance', '6d'], { env });
    expect(early.code, early.stderr).toBe(0);
    expect(early.stdout.toString()).toMatch(/ahead of real time\); maintenance: 0 destroyed/);
    expect((await kms.describeKey({ keyId })).keyMetadata.keyState).toBe('PendingDeletion');
    const past = await runCli(['dev', 'clock', '--advance', '1d', '--json'], { env });
    expect(past.code, past.stderr).toBe(0);
    const result = JSON.parse(past.stdout.toString()) as { offsetSeconds: number; maintenance: { destroyed: number } };
    expect(result.offsetSeconds).toBe(7 * 86_400);
    expect(result.maintenance.destroyed).toBe(1);
    const described = await runCli(['key', 'describe', keyId, '--json'], { env });
    expect((JSON.parse(described.stdout.toString()) as { keyState: string }).keyState).toBe('Destroyed');
  });

  it('reaches an automatic rotation: a 90-day period, the clock 90 days on, a second version', async () => {
    const { keyMetadata } = await kms.createKey({});
    const keyId = keyMetadata.keyId;
    const blob = (await kms.encrypt({ keyId, plaintext: new TextEncoder().encode('v1') })).ciphertextBlob;
    await kms.enableKeyRotation({ keyId, rotationPeriodInDays: 90 });
    const moved = await kms.advanceDevClock({ advanceSeconds: 90 * 86_400 });
    expect(moved.maintenance?.rotated).toBeGreaterThanOrEqual(1);
    expect(moved.now.getTime()).toBeGreaterThan(Date.now() + 96 * 86_400_000);
    const { rotations } = await kms.listKeyRotations({ keyId });
    expect(rotations).toHaveLength(1);
    expect(rotations[0]!.rotationType).toBe('AUTOMATIC');
    expect(new TextDecoder().decode((await kms.decrypt({ ciphertextBlob: blob })).plaintext)).toBe('v1');
  });

  it('derives key ids and material from --dev-seed: a second server with the same seed has the same keys', async () => {
    const dir = join(root, 'same-seed');
    const again = await startServer({ dataDir: dir, listen: '127.0.0.1:0', logger: false, dev: { seed: SEED } });
    const other = new RemoteKms({ endpoint: again.url, token: again.adminToken! });
    try {
      // The spawned server's first CreateKey (the deletion test's key, now Destroyed) had this server's first id.
      expect((await other.createKey({})).keyMetadata.keyId).toBe(firstKeyId);
      const listed = (await kms.listKeys({ limit: 100 })).keys.map((k) => k.keyId);
      // Same id, same material: a ciphertext of one server's key decrypts on the other.
      const second = (await other.createKey({})).keyMetadata.keyId;
      const blob = (await other.encrypt({ keyId: second, plaintext: new TextEncoder().encode('seeded') }))
        .ciphertextBlob;
      expect(listed).toContain(second);
      expect(new TextDecoder().decode((await kms.decrypt({ ciphertextBlob: blob })).plaintext)).toBe('seeded');
    } finally {
      await other.close();
      await again.close();
    }
    // A development data directory never opens without --dev.
    await expectKmsError(startServer({ dataDir: dir, listen: '127.0.0.1:0', logger: false }), 'DEV_MODE_MISMATCH');
  });

  it('AdvanceDevClock is for the admin only (ACCESS_DENIED for a key user)', async () => {
    const { token } = await kms.createToken({ principal: 'app', roles: ['key-user'] });
    const user = new RemoteKms({ endpoint: url, token });
    try {
      await expectKmsError(user.advanceDevClock({ advanceSeconds: 1 }), 'ACCESS_DENIED');
    } finally {
      await user.close();
    }
  });
});

describe('development mode refusals', { timeout: 120_000 }, () => {
  it('a server not in development mode refuses AdvanceDevClock with DEV_MODE_REQUIRED (409), over the API and the CLI', async () => {
    await expectKmsError(prod.kms.advanceDevClock({ advanceSeconds: 60 }), 'DEV_MODE_REQUIRED');
    const res = await fetch(`${prod.server.url}/v1/dev/clock`, {
      method: 'POST',
      headers: { authorization: `Bearer ${prod.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ advanceSeconds: 60 }),
    });
    expect(res.status).toBe(409);
    const r = await prod.run(['dev', 'clock', '--advance', '60']);
    expect(r.code).toBe(1);
    expect(errorCode(r)).toBe('DEV_MODE_REQUIRED');
  });

  it('--dev refuses a data directory made without it (DEV_MODE_MISMATCH), touching nothing', async () => {
    const dir = join(root, 'production');
    const made = await startServer({ dataDir: dir, listen: '127.0.0.1:0', logger: false });
    await made.close();
    const r = await runCli(['server', '--dev', '--data-dir', dir, '--listen', '127.0.0.1:0', '--log-level', 'silent']);
    expect(r.code).toBe(1);
    expect(errorCode(r)).toBe('DEV_MODE_MISMATCH');
    // Still a production directory: it opens without --dev.
    await (await startServer({ dataDir: dir, listen: '127.0.0.1:0', logger: false })).close();
  });

  it('refuses a non-loopback host, a bad seed file, and --dev-seed without --dev (usage errors, exit 2)', async () => {
    const bad = join(root, 'bad-seed.json');
    await writeFile(bad, JSON.stringify({ Keys: { Symmetric: { Aes: [{ Metadata: { KeyId: 'not-a-uuid' } }] } } }));
    const runs = await Promise.all([
      runCli(['server', '--dev', '--listen', '0.0.0.0:0']),
      runCli(['server', '--dev', '--dev-seed-file', bad, '--listen', '127.0.0.1:0']),
      runCli(['server', '--dev-seed', 'x', '--data-dir', join(root, 'never'), '--listen', '127.0.0.1:0']),
    ]);
    for (const r of runs) {
      expect(r.code, r.stderr).toBe(2);
      expect(errorCode(r)).toBe('USAGE');
    }
    expect(runs[0].stderr).toMatch(/loopback only/);
    expect(runs[1].stderr).toMatch(/Metadata\.KeyId must be a UUID/);
    expect(existsSync(join(root, 'never'))).toBe(false);
  });
});

// The seed's PEM is only parsed by the server: make sure the fixture itself is a valid key pair.
it('the seed fixture is a P-256 key pair', () => {
  const parsed = createPrivateKey(ecc.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  expect(createPublicKey(parsed).asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
});
