// A server on the Shamir root of trust, over real HTTP: it starts sealed (seal-status, /healthz 200, /readyz and every
// other route 503 SEALED on REST and on the AWS protocol, which AWS SDKs retry), unseals with the threshold of
// shares in any order, serves, seals again (admin) and unseals again. No share reaches a log line or audit record.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { ListKeysCommand, KMSClient } from '@aws-sdk/client-kms';
import { RemoteKms } from '@custos/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';
import { startServer, type RunningServer } from '../../src/api/server.js';
import { initShamir } from '../../src/service/shamir.js';
import { sqliteDriver } from '../../src/store/sqlite-driver.js';
import { expectAws } from '../aws/helpers.js';

interface Reply {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; message: string } };
}

async function call(url: string, method: string, path: string, body?: unknown, token?: string): Promise<Reply> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Reply['body'] };
}

describe('a server on the Shamir root of trust', () => {
  let dataDir: string;
  let otherDir: string;
  let shares: string[];
  let foreign: string[];
  let server: RunningServer;
  const logLines: string[] = [];
  const unseal = (share: unknown): Promise<Reply> => call(server.url, 'POST', '/v1/sys/unseal', { share });
  const status = (): Promise<Reply> => call(server.url, 'GET', '/v1/sys/seal-status');

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'custos-sealed-'));
    otherDir = await mkdtemp(join(tmpdir(), 'custos-sealed-other-'));
    shares = (await initShamir({ dataDir, shares: 5, threshold: 3 })).unsealShares;
    foreign = (await initShamir({ dataDir: otherDir, shares: 3, threshold: 2 })).unsealShares;
    server = await startServer({
      dataDir,
      listen: '127.0.0.1:0',
      rootOfTrust: { kind: 'shamir' },
      unsealPerMinute: 1000,
      kmsOptions: { maintenanceIntervalMs: 0 },
      logger: {
        level: 'debug',
        stream: new Writable({
          write(chunk: Buffer, _encoding, done) {
            logLines.push(chunk.toString());
            done();
          },
        }),
      },
    });
  });
  afterAll(async () => {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
    await rm(otherDir, { recursive: true, force: true });
  });

  it('starts sealed: seal-status, /healthz 200, /readyz and every other route 503 SEALED', async () => {
    expect(await status()).toEqual({
      status: 200,
      body: { sealed: true, threshold: 3, progress: 0, rootOfTrust: 'shamir' },
    });
    expect((await call(server.url, 'GET', '/healthz')).status).toBe(200);
    const ready = await call(server.url, 'GET', '/readyz');
    expect([ready.status, ready.body.error?.code]).toEqual([503, 'SEALED']);
    const keys = await call(server.url, 'GET', '/v1/keys', undefined, 'some-token');
    expect([keys.status, keys.body.error?.code]).toEqual([503, 'SEALED']);
    const seal = await call(server.url, 'POST', '/v1/sys/seal', {}, 'some-token');
    expect(seal.body.error?.code).toBe('SEALED');
    // RemoteKms rebuilds the code: a caller can branch on SEALED.
    await expectKmsError(new RemoteKms({ endpoint: server.url, token: 't', retries: 0 }).listKeys({}), 'SEALED');
    // No token is written before the store exists.
    await expect(readFile(join(dataDir, 'admin.token'), 'utf8')).rejects.toThrow();
  });

  it('answers KeyUnavailableException on the AWS protocol, which the AWS SDK retries', async () => {
    const credentials = { accessKeyId: 'AKIACUSTOSNOTREAL000', secretAccessKey: 'not-a-secret' };
    const client = (maxAttempts: number): KMSClient =>
      new KMSClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts });
    const once = await expectAws(client(1).send(new ListKeysCommand({})), 'KeyUnavailableException');
    expect(once.$metadata.httpStatusCode).toBe(500);
    const retried = (await expectAws(client(2).send(new ListKeysCommand({})), 'KeyUnavailableException')) as Error & {
      $metadata: { attempts?: number };
    };
    expect(retried.$metadata.attempts).toBe(2);
  });

  it('refuses malformed, foreign and duplicate shares with their codes', async () => {
    const malformed = await unseal('custos-share-v1.not-a-share');
    expect([malformed.status, malformed.body.error?.code]).toEqual([400, 'INVALID_SHARE']);
    expect((await unseal(42)).body.error?.code).toBe('INVALID_SHARE');
    expect((await unseal(shares[0])).body).toMatchObject({ sealed: true, progress: 1 });
    const duplicate = await unseal(shares[0]);
    expect([duplicate.status, duplicate.body.error?.code]).toEqual([409, 'DUPLICATE_SHARE']);
    expect((await status()).body.progress).toBe(1); // a duplicate keeps the progress
    const other = await unseal(foreign[0]);
    expect([other.status, other.body.error?.code]).toEqual([400, 'FOREIGN_SHARE']);
    expect((await status()).body.progress).toBe(0); // a foreign share resets it
  });

  it('refuses a wrong share at the threshold (WRONG_SHARES) and resets the progress', async () => {
    const share = shares[1]!;
    const bytes = Buffer.from(share.split('.')[2]!, 'base64url');
    bytes[0]! ^= 0x01; // a y value, not the index
    const wrong = `${share.split('.').slice(0, 2).join('.')}.${bytes.toString('base64url')}`;
    expect((await unseal(shares[3])).body.progress).toBe(1);
    expect((await unseal(wrong)).body.progress).toBe(2);
    const refused = await unseal(shares[4]);
    expect([refused.status, refused.body.error?.code]).toEqual([400, 'WRONG_SHARES']);
    expect((await status()).body).toEqual({ sealed: true, threshold: 3, progress: 0, rootOfTrust: 'shamir' });
  });

  let ciphertextBlob: Uint8Array;
  it('unseals with the threshold of shares in another order than issued, then serves', async () => {
    expect((await unseal(shares[4])).body).toMatchObject({ sealed: true, progress: 1 });
    expect((await unseal(shares[0])).body).toMatchObject({ sealed: true, progress: 2 });
    expect((await unseal(` ${shares[2]!}\n`)).body).toEqual({ sealed: false, rootOfTrust: 'shamir' });
    expect((await status()).body).toEqual({ sealed: false, rootOfTrust: 'shamir' });
    expect((await call(server.url, 'GET', '/readyz')).status).toBe(200);
    // Unsealed already: another share changes nothing.
    expect((await unseal(shares[1])).body).toEqual({ sealed: false, rootOfTrust: 'shamir' });
    const token = (await readFile(join(dataDir, 'admin.token'), 'utf8')).trim();
    const admin = new RemoteKms({ endpoint: server.url, token });
    const { keyId } = (await admin.createKey({})).keyMetadata;
    ({ ciphertextBlob } = await admin.encrypt({ keyId, plaintext: new Uint8Array([7, 7]) }));
  });

  it('seals again for an admin only (ACCESS_DENIED otherwise), and unseals again with other shares', async () => {
    const token = (await readFile(join(dataDir, 'admin.token'), 'utf8')).trim();
    const admin = new RemoteKms({ endpoint: server.url, token });
    const user = await admin.createToken({ principal: 'user', roles: ['key-user', 'key-admin'] });
    const denied = await call(server.url, 'POST', '/v1/sys/seal', {}, user.token);
    expect([denied.status, denied.body.error?.code]).toEqual([403, 'ACCESS_DENIED']);
    expect((await status()).body.sealed).toBe(false);
    const sealed = await call(server.url, 'POST', '/v1/sys/seal', {}, token);
    expect(sealed.body).toEqual({ sealed: true, threshold: 3, progress: 0, rootOfTrust: 'shamir' });
    await expectKmsError(admin.decrypt({ ciphertextBlob }), 'SEALED');
    for (const share of [shares[1], shares[3], shares[2]]) await unseal(share);
    expect((await status()).body.sealed).toBe(false);
    expect((await admin.decrypt({ ciphertextBlob })).plaintext).toEqual(new Uint8Array([7, 7]));
  });

  it('audits the unseal and the seal, and puts no share in a log line or audit record', () => {
    const db = new (sqliteDriver())(join(dataDir, 'custos.db'), { readonly: true });
    try {
      const rows = db.prepare('select * from audit_log').all() as { operation: string; principal: string }[];
      const ops = rows.map((row) => `${row.operation}:${row.principal}`);
      expect(ops.filter((op) => /^(Un)?[Ss]eal:/.test(op))).toEqual([
        'Unseal:custos:system',
        'Seal:user',
        'Seal:admin',
        'Unseal:custos:system',
      ]);
      const everything = `${JSON.stringify(rows)}\n${logLines.join('')}`;
      expect(logLines.length).toBeGreaterThan(10);
      // Being sealed is a state, not a failure: no error line for the calls it refused.
      expect(logLines.filter((line) => (JSON.parse(line) as { level: number }).level >= 50)).toEqual([]);
      expect(logLines.some((line) => line.includes('"code":"SEALED"'))).toBe(true);
      for (const share of [...shares, ...foreign]) {
        expect(everything).not.toContain(share);
        expect(everything).not.toContain(share.split('.')[2]);
      }
    } finally {
      db.close();
    }
  });
});
