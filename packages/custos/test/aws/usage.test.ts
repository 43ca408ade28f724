// Usage telemetry and the minimum decryption version over HTTP (issue 19): the AWS SDK's ScheduleKeyDeletion keeps
// AWS's behaviour for a recently used key while the native API (RemoteKms) refuses it unless forced; Decrypt below the
// minimum fails on both protocols; the AWS endpoint's DescribeKey keeps AWS's shape; GetKeyUsage counts AWS calls too.
import {
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  KMSInvalidStateException,
  ScheduleKeyDeletionCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';
import { expectAws, startAwsServer, type AwsTestServer } from './helpers.js';

const plaintext = new TextEncoder().encode('usage over http');

describe('usage and minimum decryption version on the AWS protocol and the native API', () => {
  let server: AwsTestServer;
  let aws: KMSClient;
  beforeAll(async () => {
    server = await startAwsServer();
    aws = server.client(await server.accessKey(['admin'], 'aws-usage'));
  });
  afterAll(async () => {
    aws?.destroy();
    await server?.close();
  });

  async function usedKey(): Promise<string> {
    const keyId = (await server.admin.createKey({})).keyMetadata.keyId;
    await aws.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext }));
    return keyId;
  }

  it('AWS ScheduleKeyDeletion schedules a key used a moment ago, as AWS does', async () => {
    const keyId = await usedKey();
    const res = await aws.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    expect(res.KeyState).toBe('PendingDeletion');
  });

  it('the native API refuses it with KEY_RECENTLY_USED, and schedules it with force', async () => {
    const keyId = await usedKey();
    await expectKmsError(server.admin.scheduleKeyDeletion({ keyId, pendingWindowInDays: 7 }), 'KEY_RECENTLY_USED');
    const res = await server.admin.scheduleKeyDeletion({ keyId, pendingWindowInDays: 7, force: true });
    expect(res.keyState).toBe('PendingDeletion');
  });

  it('GetKeyUsage counts AWS calls; AWS DescribeKey leaves out lastUsedAt and minDecryptionVersion', async () => {
    const keyId = await usedKey();
    const usage = await server.admin.getKeyUsage({ keyId });
    expect(usage.usage).toMatchObject([{ keyVersion: 1, operation: 'Encrypt', count: 1 }]);
    expect(usage.lastUsedAt).toBeInstanceOf(Date);
    const native = (await server.admin.describeKey({ keyId })).keyMetadata;
    expect(native.lastUsedAt).toEqual(usage.lastUsedAt);
    expect(native.minDecryptionVersion).toBe(1);
    const described = Object.keys((await aws.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata ?? {});
    expect(described).toContain('KeyId');
    expect(described).not.toContain('LastUsedAt');
    expect(described).not.toContain('MinDecryptionVersion');
  });

  it('Decrypt of a version below the minimum fails with KMSInvalidStateException (AWS) and KEY_VERSION_BELOW_MINIMUM', async () => {
    const keyId = (await server.admin.createKey({})).keyMetadata.keyId;
    const old = (await aws.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext }))).CiphertextBlob!;
    await server.admin.rotateKeyOnDemand({ keyId });
    await server.admin.updateMinDecryptionVersion({ keyId, minDecryptionVersion: 2 });
    const refused = await expectAws(aws.send(new DecryptCommand({ CiphertextBlob: old })), 'KMSInvalidStateException');
    expect(refused).toBeInstanceOf(KMSInvalidStateException);
    await expectKmsError(server.admin.decrypt({ ciphertextBlob: old }), 'KEY_VERSION_BELOW_MINIMUM');
    const fresh = (await aws.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext }))).CiphertextBlob!;
    expect((await aws.send(new DecryptCommand({ CiphertextBlob: fresh }))).Plaintext).toEqual(plaintext);
  });
});
