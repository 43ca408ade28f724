// The replay guard of the AWS endpoint (issue 12): the exact bytes of a signed request that changes state (manage
// and tokens operations) are served once within the signature's 15-minute window; read-only and cryptographic
// requests may be repeated; a fresh signing is a new request. On SQLite, and on PostgreSQL with the replay sent
// to a second server sharing the database.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnableKeyCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/api/server.js';
import { describePostgres, dropSchema, PG_URL, testSchemaName } from '../store/pg.js';
import {
  awsErrorType,
  sendAwsRequest,
  signAwsRequest,
  startAwsServer,
  type AwsCredentials,
  type AwsTestServer,
} from './helpers.js';

interface Setup {
  /** The server the requests are first sent to. */
  readonly server: AwsTestServer;
  /** The server replays are sent to: the same one, or another node on the same database. */
  readonly replayUrl: string;
}

function replayTests(setup: () => Setup): void {
  let admin: AwsCredentials;
  let keyId: string;
  const state = async (): Promise<string> => (await setup().server.admin.describeKey({ keyId })).keyMetadata.keyState;
  const sign = (target: string, body: unknown, signingDate?: Date) =>
    signAwsRequest(setup().server.url, admin, `TrentService.${target}`, body, signingDate ? { signingDate } : {});

  beforeAll(async () => {
    admin = await setup().server.accessKey(['admin'], 'aws-admin');
    keyId = (await setup().server.admin.createKey({})).keyMetadata.keyId;
  });

  it('serves a signed DisableKey once; its exact replay is InvalidSignatureException and changes nothing', async () => {
    const { server, replayUrl } = setup();
    const disable = await sign('DisableKey', { KeyId: keyId });
    expect(await awsErrorType(await sendAwsRequest(server.url, disable))).toBeUndefined();
    await server.admin.enableKey({ keyId });

    const replay = await sendAwsRequest(replayUrl, disable);
    expect(replay.status).toBe(400);
    expect(replay.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
    expect(((await replay.json()) as { message: string }).message).toMatch(/^Signature already used/);
    expect(await state()).toBe('Enabled');
  });

  it('refuses the replay of a CreateKey: no second key is made', async () => {
    const { server, replayUrl } = setup();
    const create = await sign('CreateKey', { Description: 'made once' });
    expect(await awsErrorType(await sendAwsRequest(server.url, create))).toBeUndefined();
    expect(await awsErrorType(await sendAwsRequest(replayUrl, create))).toBe('InvalidSignatureException');
    const { keys } = await server.admin.listKeys({ limit: 1000 });
    const described = await Promise.all(keys.map((k) => server.admin.describeKey({ keyId: k.keyId })));
    expect(described.filter((d) => d.keyMetadata.description === 'made once')).toHaveLength(1);
  });

  it('serves exactly one of several identical state-changing requests sent at once', async () => {
    const { server, replayUrl } = setup();
    const create = await sign('CreateKey', { Description: 'raced' });
    const replies = await Promise.all(
      [server.url, replayUrl, server.url, replayUrl, server.url].map(async (url) =>
        awsErrorType(await sendAwsRequest(url, create)),
      ),
    );
    expect(replies.filter((r) => r === undefined)).toHaveLength(1);
    expect(replies.filter((r) => r === 'InvalidSignatureException')).toHaveLength(4);
  });

  it('lets read-only and cryptographic requests (DescribeKey, Encrypt, GenerateRandom) be repeated exactly', async () => {
    const { server, replayUrl } = setup();
    const requests = [
      await sign('DescribeKey', { KeyId: keyId }),
      await sign('Encrypt', { KeyId: keyId, Plaintext: Buffer.from('hi').toString('base64') }),
      await sign('GenerateRandom', { NumberOfBytes: 8 }),
    ];
    for (const request of requests) {
      for (const url of [server.url, replayUrl, server.url]) {
        expect(await awsErrorType(await sendAwsRequest(url, request)), request.headers['x-amz-target']).toBeUndefined();
      }
    }
  });

  it('lets the AWS SDK repeat an operation at once: it signs each call anew (amz-sdk-invocation-id)', async () => {
    const client = setup().server.client(admin);
    try {
      const replies = await Promise.all(
        [1, 2, 3, 4].map(() => client.send(new EnableKeyCommand({ KeyId: keyId })).then(() => 'ok')),
      );
      expect(replies).toEqual(['ok', 'ok', 'ok', 'ok']);
    } finally {
      client.destroy();
    }
  });

  it('accepts a fresh signing of the same operation (a new date, so a new signature)', async () => {
    const { server, replayUrl } = setup();
    // Minutes in the past, where no other test signs (they sign at "now"), so no signature here can be theirs.
    const first = await sign('DisableKey', { KeyId: keyId }, new Date(Date.now() - 10 * 60_000));
    expect(await awsErrorType(await sendAwsRequest(server.url, first))).toBeUndefined();
    await server.admin.enableKey({ keyId });
    const again = await sign('DisableKey', { KeyId: keyId }, new Date(Date.now() - 9 * 60_000));
    expect(again.headers.authorization).not.toBe(first.headers.authorization);
    expect(await awsErrorType(await sendAwsRequest(replayUrl, again))).toBeUndefined();
    expect(await state()).toBe('Disabled');
    await server.admin.enableKey({ keyId });
  });
}

describe('replay of signed AWS requests, on SQLite', () => {
  let server: AwsTestServer;
  beforeAll(async () => {
    server = await startAwsServer();
  });
  afterAll(async () => {
    await server?.close();
  });
  replayTests(() => ({ server, replayUrl: server.url }));
});

describePostgres('replay of signed AWS requests on PostgreSQL')(
  'replay of signed AWS requests, on PostgreSQL across two servers',
  () => {
    const schema = testSchemaName();
    let dir: string;
    let server: AwsTestServer;
    let second: RunningServer;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'custos-aws-replay-'));
      const shared = { store: { kind: 'postgres', url: PG_URL, schema } as const, rootKeyFile: join(dir, 'root.key') };
      server = await startAwsServer(shared);
      second = await startServer({
        ...shared,
        dataDir: join(dir, 'second'),
        listen: '127.0.0.1:0',
        logger: false,
        kmsOptions: { maintenanceIntervalMs: 0 },
      });
    });
    afterAll(async () => {
      await second?.close();
      await server?.close();
      await dropSchema(schema);
      await rm(dir, { recursive: true, force: true });
    });
    replayTests(() => ({ server, replayUrl: second.url }));
  },
);
