// The seal routes beyond the happy path: the unseal rate limit per client address, seal-status and seal on roots
// that cannot seal (file), and two nodes of one PostgreSQL database on the Shamir root, each unsealed on its own.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RemoteKms } from '@custos/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';
import { buildApp } from '../../src/api/app.js';
import { SealGate } from '../../src/api/seal.js';
import { startServer, type RunningServer } from '../../src/api/server.js';
import { LocalKms } from '../../src/service/local-kms.js';
import { initShamir, shareIndex } from '../../src/service/shamir.js';
import { describePostgres, dropSchema, PG_URL, testSchemaName } from '../store/pg.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'custos-seal-routes-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const post = async (url: string, path: string, body: unknown, token?: string) => {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: { code: string } } };
};
const sealStatus = async (url: string): Promise<unknown> => (await fetch(`${url}/v1/sys/seal-status`)).json();

describe('the seal routes', () => {
  it('rate-limits unseal attempts per client address (429 LIMIT_EXCEEDED), whatever the share', async () => {
    const dataDir = join(root, 'limited');
    await initShamir({ dataDir, shares: 2, threshold: 2 });
    const server = await startServer({
      dataDir,
      listen: '127.0.0.1:0',
      logger: false,
      rootOfTrust: { kind: 'shamir' },
      unsealPerMinute: 3,
    });
    try {
      for (let i = 0; i < 3; i++)
        expect((await post(server.url, '/v1/sys/unseal', { share: 'nonsense' })).body.error?.code).toBe(
          'INVALID_SHARE',
        );
      const limited = await post(server.url, '/v1/sys/unseal', { share: 'nonsense' });
      expect([limited.status, limited.body.error?.code]).toEqual([429, 'LIMIT_EXCEEDED']);
      // seal-status is not counted.
      expect(await sealStatus(server.url)).toMatchObject({ sealed: true, progress: 0 });
    } finally {
      await server.close();
    }
  });

  it('refuses to start sealed without a Shamir root key file, or with a passphrase (VALIDATION_ERROR)', async () => {
    const start = (dataDir: string, extra: { passphrase?: string } = {}) =>
      startServer({ dataDir, listen: '127.0.0.1:0', logger: false, rootOfTrust: { kind: 'shamir' }, ...extra });
    await expectKmsError(start(join(root, 'no-init')), 'VALIDATION_ERROR');
    const dataDir = join(root, 'with-passphrase');
    await initShamir({ dataDir, shares: 2, threshold: 2 });
    await expectKmsError(start(dataDir, { passphrase: 'secret' }), 'VALIDATION_ERROR');
  });

  it('reports unsealed for the file root, which cannot be sealed (UNSUPPORTED), and unseal changes nothing', async () => {
    const server = await startServer({ dataDir: join(root, 'file'), listen: '127.0.0.1:0', logger: false });
    try {
      expect(await sealStatus(server.url)).toEqual({ sealed: false, rootOfTrust: 'file' });
      const seal = await post(server.url, '/v1/sys/seal', {}, server.adminToken);
      expect([seal.status, seal.body.error?.code]).toEqual([400, 'UNSUPPORTED']);
      expect((await post(server.url, '/v1/sys/seal', {})).body.error?.code).toBe('UNAUTHENTICATED');
      expect((await post(server.url, '/v1/sys/unseal', { share: 'x' })).body).toEqual({
        sealed: false,
        rootOfTrust: 'file',
      });
    } finally {
      await server.close();
    }
  });

  it('seal waits for the calls in flight: each call started before it completes, later ones get SEALED', async () => {
    const dataDir = join(root, 'in-flight');
    const { unsealShares } = await initShamir({ dataDir, shares: 2, threshold: 2 });
    const gate = SealGate.sealed({
      threshold: 2,
      config: { region: 'us-east-1' } as LocalKms['config'],
      shareIndex: (share) => shareIndex({ rootId: unsealShares[0]!.split('.')[1]!, shares: 2, threshold: 2 }, share),
      open: (shares) =>
        LocalKms.open({ dataDir, rootOfTrust: { kind: 'shamir', unsealShares: shares }, maintenanceIntervalMs: 0 }),
    });
    try {
      for (const share of unsealShares) await gate.unseal(share);
      const kms = gate.view;
      const { keyId } = (await kms.createKey({})).keyMetadata;
      const encrypt = (i: number) => kms.encrypt({ keyId, plaintext: new Uint8Array([i]) });
      const before = Array.from({ length: 40 }, (_, i) => encrypt(i));
      const sealed = gate.seal({ principal: 'ops', roles: ['admin'] });
      // Started while the seal is being audited: admitted, and then waited for, or refused with SEALED.
      const during = Array.from({ length: 40 }, (_, i) => encrypt(i));
      const results = await Promise.allSettled([...before, ...during]);
      expect(results.slice(0, 40).filter((r) => r.status === 'rejected')).toEqual([]);
      const refused = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as { code: string }).code] : []));
      expect(refused.filter((code) => code !== 'SEALED')).toEqual([]);
      expect(refused.length).toBeLessThan(40); // some were admitted before the gate closed
      expect((await sealed).sealed).toBe(true);
      await expectKmsError(kms.encrypt({ keyId, plaintext: new Uint8Array([1]) }), 'SEALED');
    } finally {
      await gate.close();
    }
  });

  it('buildApp on a LocalKms serves seal-status too (in-process apps)', async () => {
    const kms = await LocalKms.open({ dataDir: join(root, 'inject'), maintenanceIntervalMs: 0 });
    const app = buildApp(kms);
    try {
      const res = await app.inject({ method: 'GET', url: '/v1/sys/seal-status' });
      expect(res.json()).toEqual({ sealed: false, rootOfTrust: 'file' });
    } finally {
      await app.close();
      await kms.close();
    }
  });
});

describePostgres('two Shamir-rooted nodes on one PostgreSQL database')('two nodes on one PostgreSQL database', () => {
  const schema = testSchemaName();
  let nodes: RunningServer[] = [];
  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.close()));
    await dropSchema(schema);
  });

  it('unseals each node on its own: one serves while the other is still sealed, and sealing one leaves the other', async () => {
    const rootKeyFile = join(root, 'cluster-root.key');
    const { unsealShares } = await initShamir({
      dataDir: join(root, 'cluster-init'),
      rootKeyFile,
      shares: 3,
      threshold: 2,
    });
    const start = (name: string): Promise<RunningServer> =>
      startServer({
        dataDir: join(root, name),
        rootKeyFile,
        listen: '127.0.0.1:0',
        logger: false,
        rootOfTrust: { kind: 'shamir' },
        store: { kind: 'postgres', url: PG_URL, schema },
        kmsOptions: { maintenanceIntervalMs: 0 },
      });
    nodes = [await start('node-a'), await start('node-b')];
    const [a, b] = nodes as [RunningServer, RunningServer];
    for (const share of [unsealShares[0], unsealShares[2]]) await post(a.url, '/v1/sys/unseal', { share });
    expect(await sealStatus(a.url)).toEqual({ sealed: false, rootOfTrust: 'shamir' });
    expect(await sealStatus(b.url)).toEqual({ sealed: true, threshold: 2, progress: 0, rootOfTrust: 'shamir' });
    const token = (await readFile(join(root, 'node-a', 'admin.token'), 'utf8')).trim();
    const { keyId } = (await new RemoteKms({ endpoint: a.url, token }).createKey({})).keyMetadata;
    await expectKmsError(new RemoteKms({ endpoint: b.url, token, retries: 0 }).describeKey({ keyId }), 'SEALED');

    for (const share of [unsealShares[1], unsealShares[0]]) await post(b.url, '/v1/sys/unseal', { share });
    expect((await new RemoteKms({ endpoint: b.url, token }).describeKey({ keyId })).keyMetadata.keyId).toBe(keyId);
    expect((await post(a.url, '/v1/sys/seal', {}, token)).body.sealed).toBe(true);
    await expectKmsError(new RemoteKms({ endpoint: a.url, token, retries: 0 }).describeKey({ keyId }), 'SEALED');
    expect((await new RemoteKms({ endpoint: b.url, token }).describeKey({ keyId })).keyMetadata.keyId).toBe(keyId);
  });
});
