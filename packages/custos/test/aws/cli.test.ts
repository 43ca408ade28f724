// `custos access-key create|list|revoke` (the built CLI, as in test/cli): the printed pair signs AWS SDK requests.
// Needs `npm run build` first (the root `npm test` does it).
import {
  CreateKeyCommand,
  DecryptCommand,
  EncryptCommand,
  GenerateRandomCommand,
  KMSClient,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, startTestServer, type TestServer } from '../cli/helpers.js';
import { expectAws } from './helpers.js';

describe('custos access-key', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('create --json prints accessKeyId and secretAccessKey that an AWS SDK client signs with; list shows it; revoke stops it', async () => {
    const created = await t.run([
      'access-key',
      'create',
      '--role',
      'key-user',
      '--principal',
      'cli-app',
      '--description',
      'from the CLI',
      '--json',
    ]);
    expect(created.code, created.stderr).toBe(0);
    const pair = JSON.parse(created.stdout.toString()) as {
      accessKeyId: string;
      secretAccessKey: string;
      principal: string;
      roles: string[];
    };
    expect(pair).toMatchObject({
      accessKeyId: expect.stringMatching(/^AKIACUSTOS[A-Z2-7]{10}$/),
      principal: 'cli-app',
      roles: ['key-user'],
    });
    expect(pair.secretAccessKey).toHaveLength(40);

    const client = new KMSClient({ endpoint: t.server.url, region: 'us-east-1', credentials: pair, maxAttempts: 1 });
    expect((await client.send(new GenerateRandomCommand({ NumberOfBytes: 16 }))).Plaintext).toHaveLength(16);

    const listed = await t.run(['access-key', 'list', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const { accessKeys } = JSON.parse(listed.stdout.toString()) as {
      accessKeys: { accessKeyId: string; description: string }[];
    };
    expect(accessKeys.find((k) => k.accessKeyId === pair.accessKeyId)).toMatchObject({ description: 'from the CLI' });
    expect(listed.stdout.toString()).not.toContain(pair.secretAccessKey);
    const table = await t.run(['access-key', 'list']);
    expect(table.stdout.toString()).toMatch(/^ACCESS KEY ID\s+PRINCIPAL/);

    const revoked = await t.run(['access-key', 'revoke', pair.accessKeyId]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout.toString()).toBe(`access key ${pair.accessKeyId} revoked\n`);
    await expectAws(client.send(new GenerateRandomCommand({ NumberOfBytes: 16 })), 'UnrecognizedClientException');
    client.destroy();
  });

  it('create without --role makes a role-less key; an unknown role is a usage error; revoking an unknown key is NOT_FOUND', async () => {
    const roleless = await t.run(['access-key', 'create', '--json']);
    expect(roleless.code).toBe(0);
    expect((JSON.parse(roleless.stdout.toString()) as { roles: string[] }).roles).toEqual([]);
    const bad = await t.run(['access-key', 'create', '--role', 'root']);
    expect(bad.code).toBe(2);
    expect(errorCode(bad)).toBe('USAGE');
    const missing = await t.run(['access-key', 'revoke', 'AKIACUSTOSAAAAAAAAAA']);
    expect(missing.code).toBe(1);
    expect(errorCode(missing)).toBe('NOT_FOUND');
  });

  it('a key created through the AWS protocol encrypts through the CLI, and a CLI ciphertext decrypts through the AWS protocol', async () => {
    const created = await t.run(['access-key', 'create', '--role', 'admin', '--json']);
    const pair = JSON.parse(created.stdout.toString()) as { accessKeyId: string; secretAccessKey: string };
    const client = new KMSClient({ endpoint: t.server.url, region: 'us-east-1', credentials: pair, maxAttempts: 1 });
    const { KeyMetadata } = await client.send(new CreateKeyCommand({ Description: 'made over AWS' }));
    const viaCli = await t.run(['encrypt', '--key', KeyMetadata!.Arn!, '--context', 'app=cli'], {
      input: 'from the CLI',
    });
    expect(viaCli.code, viaCli.stderr).toBe(0);
    const back = await client.send(
      new DecryptCommand({ CiphertextBlob: viaCli.stdout, EncryptionContext: { app: 'cli' } }),
    );
    expect(Buffer.from(back.Plaintext!).toString()).toBe('from the CLI');

    const made = await t.run(['key', 'create', '--spec', 'SYMMETRIC_DEFAULT', '--json']);
    const { keyId } = JSON.parse(made.stdout.toString()) as { keyId: string };
    const { CiphertextBlob } = await client.send(
      new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('from AWS') }),
    );
    const plain = await t.run(['decrypt'], { input: Buffer.from(CiphertextBlob!) });
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout.toString()).toBe('from AWS');
    client.destroy();
  });
});
