// The AWS Encryption SDK for JavaScript with a KMS keyring, pointed at Custos: envelope encryption whose data keys
// Custos generates and decrypts over the AWS protocol, before and after the key is rotated, with a key-user access key.
/* eslint-disable @typescript-eslint/no-unsafe-class-instance-assignment -- KmsKeyringNode is a KeyringNode built by
   the SDK's mixin, which the rule cannot follow */
import { randomBytes } from 'node:crypto';
import { buildClient, CommitmentPolicy, KmsKeyringNode } from '@aws-crypto/client-node';
import { CreateKeyCommand, RotateKeyOnDemandCommand, type KMS, type KMSClient } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsServer, type AwsTestServer } from './helpers.js';

const { encrypt, decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);

describe('AWS Encryption SDK (KmsKeyringNode) through Custos', () => {
  let server: AwsTestServer;
  let admin: KMSClient;
  let app: KMS; // a key-user: the keyring's GenerateDataKey, Encrypt and Decrypt need only 'use'
  let arn: string;
  let secondArn: string;
  const keyring = (generatorKeyId: string, keyIds: string[] = []) =>
    new KmsKeyringNode({ generatorKeyId, keyIds, clientProvider: () => app as never });

  beforeAll(async () => {
    server = await startAwsServer();
    admin = server.client(await server.accessKey(['admin']));
    app = server.kms(await server.accessKey(['key-user'], 'esdk-app'), { maxAttempts: 3 });
    arn = (await admin.send(new CreateKeyCommand({ Description: 'esdk' }))).KeyMetadata!.Arn!;
    secondArn = (await admin.send(new CreateKeyCommand({ Description: 'esdk second' }))).KeyMetadata!.Arn!;
  });
  afterAll(async () => {
    admin?.destroy();
    app?.destroy();
    await server?.close();
  });

  it('encrypts and decrypts a message; the encryption context and the data key provider are Custos', async () => {
    const plaintext = randomBytes(10_000);
    const { result, messageHeader } = await encrypt(keyring(arn), plaintext, {
      encryptionContext: { purpose: 'test', tenant: 'acme' },
    });
    expect(messageHeader.encryptedDataKeys).toHaveLength(1);
    expect(messageHeader.encryptedDataKeys[0]!.providerId).toBe('aws-kms');
    expect(messageHeader.encryptedDataKeys[0]!.providerInfo).toBe(arn);
    const out = await decrypt(keyring(arn), result);
    expect(Buffer.from(out.plaintext).equals(plaintext)).toBe(true);
    expect(out.messageHeader.encryptionContext).toMatchObject({ purpose: 'test', tenant: 'acme' });
  });

  it('decrypts messages encrypted before RotateKeyOnDemand, and encrypts with the new key material after it', async () => {
    const before = await encrypt(keyring(arn), Buffer.from('before rotation'));
    await admin.send(new RotateKeyOnDemandCommand({ KeyId: arn }));
    const after = await encrypt(keyring(arn), Buffer.from('after rotation'));
    expect(Buffer.from((await decrypt(keyring(arn), before.result)).plaintext).toString()).toBe('before rotation');
    expect(Buffer.from((await decrypt(keyring(arn), after.result)).plaintext).toString()).toBe('after rotation');
  });

  it('wraps the data key under several keys; any one of them decrypts', async () => {
    const { result, messageHeader } = await encrypt(keyring(arn, [secondArn]), Buffer.from('two keys'));
    expect(messageHeader.encryptedDataKeys.map((k) => k.providerInfo)).toEqual([arn, secondArn]);
    expect(Buffer.from((await decrypt(keyring(secondArn), result)).plaintext).toString()).toBe('two keys');
  });

  it('fails to decrypt a tampered message', async () => {
    const { result } = await encrypt(keyring(arn), Buffer.from('integrity'));
    const tampered = Buffer.from(result);
    tampered[tampered.length - 40]! ^= 1;
    await expect(decrypt(keyring(arn), tampered)).rejects.toThrow();
  });
});
