// The AWS KMS JSON protocol, spoken by the real AWS SDK for JavaScript v3 to a real Custos server: every operation
// Custos serves (success and failure, the SDK raising its own exception classes), pagination, SigV4 failures,
// roles, unsupported targets, and keys shared between the AWS protocol and the native API.
import {
  constants,
  createECDH,
  createHash,
  createPublicKey,
  publicEncrypt,
  randomBytes,
  verify as verifySignature,
} from 'node:crypto';
import {
  AlreadyExistsException,
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  DecryptCommand,
  DeleteAliasCommand,
  DeleteImportedKeyMaterialCommand,
  DeriveSharedSecretCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  DisableKeyRotationCommand,
  DisabledException,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyPairCommand,
  GenerateDataKeyPairWithoutPlaintextCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GenerateMacCommand,
  GenerateRandomCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  GetParametersForImportCommand,
  GetPublicKeyCommand,
  ImportKeyMaterialCommand,
  IncorrectKeyException,
  InvalidAliasNameException,
  InvalidCiphertextException,
  InvalidImportTokenException,
  InvalidKeyUsageException,
  InvalidMarkerException,
  KMSClient,
  KMSInvalidMacException,
  KMSInvalidSignatureException,
  KMSInvalidStateException,
  ListAliasesCommand,
  ListGrantsCommand,
  ListKeyRotationsCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  NotFoundException,
  PutKeyPolicyCommand,
  ReEncryptCommand,
  ReplicateKeyCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
  SignCommand,
  TagResourceCommand,
  UnsupportedOperationException,
  UntagResourceCommand,
  UpdateAliasCommand,
  UpdateKeyDescriptionCommand,
  VerifyCommand,
  VerifyMacCommand,
  type KeyMetadata,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteKms } from '@custos/client';
import {
  expectAws,
  signedFetch as signedFetchAs,
  startAwsServer,
  type AwsCredentials,
  type AwsTestServer,
} from './helpers.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array | undefined): string => new TextDecoder().decode(b);
const MIN = 60_000;

let server: AwsTestServer;
let adminCreds: AwsCredentials;
let kms: KMSClient; // admin
let user: KMSClient; // key-user
const keys = {} as Record<'aes' | 'aes2' | 'rsaSign' | 'rsaEnc' | 'ecSign' | 'hmac' | 'agree', KeyMetadata>;

async function createKey(input: ConstructorParameters<typeof CreateKeyCommand>[0] = {}): Promise<KeyMetadata> {
  return (await kms.send(new CreateKeyCommand(input))).KeyMetadata!;
}

beforeAll(async () => {
  server = await startAwsServer();
  adminCreds = await server.accessKey(['admin'], 'aws-admin');
  kms = server.client(adminCreds);
  user = server.client(await server.accessKey(['key-user'], 'aws-app'));
  const [aes, aes2, rsaSign, rsaEnc, ecSign, hmac, agree] = await Promise.all([
    createKey({ Description: 'shared aes' }),
    createKey(),
    createKey({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }),
    createKey({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }),
    createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
    createKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }),
    createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' }),
  ]);
  Object.assign(keys, { aes, aes2, rsaSign, rsaEnc, ecSign, hmac, agree });
});

afterAll(async () => {
  kms?.destroy();
  user?.destroy();
  await server?.close();
});

describe('keys', () => {
  it('CreateKey returns AWS KeyMetadata: bare KeyId, ARN from the configured region and account, dates as Date', async () => {
    const before = Date.now();
    const meta = await createKey({ Description: 'orders', Tags: [{ TagKey: 'team', TagValue: 'pay' }] });
    expect(meta.KeyId).toMatch(/^[0-9a-f-]{36}$/);
    expect(meta.Arn).toBe(`arn:aws:kms:us-east-1:000000000000:key/${meta.KeyId}`);
    expect(meta.AWSAccountId).toBe('000000000000');
    expect(meta.CreationDate).toBeInstanceOf(Date);
    expect(meta.CreationDate!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(meta).toMatchObject({
      Description: 'orders',
      Enabled: true,
      KeyState: 'Enabled',
      KeyUsage: 'ENCRYPT_DECRYPT',
      KeySpec: 'SYMMETRIC_DEFAULT',
      CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      Origin: 'AWS_KMS',
      KeyManager: 'CUSTOMER',
      MultiRegion: false,
      EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
    });
    const tags = await kms.send(new ListResourceTagsCommand({ KeyId: meta.KeyId }));
    expect(tags.Tags).toEqual([{ TagKey: 'team', TagValue: 'pay' }]);
  });

  it('CreateKey answers asymmetric and HMAC metadata with their algorithms', () => {
    expect(keys.rsaSign.SigningAlgorithms).toContain('RSASSA_PSS_SHA_256');
    expect(keys.rsaEnc.EncryptionAlgorithms).toEqual(expect.arrayContaining(['RSAES_OAEP_SHA_256']));
    expect(keys.ecSign.SigningAlgorithms).toEqual(['ECDSA_SHA_256']);
    expect(keys.hmac.MacAlgorithms).toEqual(['HMAC_SHA_256']);
    expect(keys.agree.KeyAgreementAlgorithms).toEqual(['ECDH']);
  });

  it('CreateKey refuses a bad spec (ValidationException), a multi-Region key and, with no PKCS#11 module, custom key stores (UnsupportedOperationException)', async () => {
    const bad = await expectAws(
      kms.send(new CreateKeyCommand({ KeySpec: 'RSA_1024' as never })),
      'ValidationException',
    );
    expect(bad.$metadata.httpStatusCode).toBe(400);
    await expectAws(
      kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'ENCRYPT_DECRYPT' })),
      'ValidationException',
    );
    await expectAws(kms.send(new CreateKeyCommand({ MultiRegion: true })), 'UnsupportedOperationException');
    expect((await kms.send(new CreateKeyCommand({ MultiRegion: false }))).KeyMetadata?.MultiRegion).toBe(false);
    const cks = await kms
      .send(new CreateKeyCommand({ CustomKeyStoreId: 'cks-1234567890abcdef0', Origin: 'AWS_CLOUDHSM' }))
      .catch((e: unknown) => e);
    expect(cks).toBeInstanceOf(UnsupportedOperationException);
  });

  it('DescribeKey finds a key by id, ARN, alias name and alias ARN; NotFoundException otherwise', async () => {
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/describe-me', TargetKeyId: keys.aes.KeyId }));
    for (const KeyId of [
      keys.aes.KeyId!,
      keys.aes.Arn!,
      'alias/describe-me',
      'arn:aws:kms:us-east-1:000000000000:alias/describe-me',
    ]) {
      const { KeyMetadata: meta } = await kms.send(new DescribeKeyCommand({ KeyId }));
      expect(meta!.KeyId).toBe(keys.aes.KeyId);
    }
    const missing = await kms
      .send(new DescribeKeyCommand({ KeyId: '00000000-0000-4000-8000-000000000000' }))
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundException);
    expect((missing as NotFoundException).$metadata.httpStatusCode).toBe(400);
    await expectAws(kms.send(new DescribeKeyCommand({ KeyId: 'alias/none' })), 'NotFoundException');
    await expectAws(
      kms.send(new DescribeKeyCommand({ KeyId: `arn:aws:kms:eu-west-1:000000000000:key/${keys.aes.KeyId!}` })),
      'NotFoundException',
    );
  });

  it('DescribeKey answers only AWS fields (no Custos-only exportable, usageConstraints, currentKeyVersion)', async () => {
    const raw = await signedFetch('TrentService.DescribeKey', { KeyId: keys.aes.KeyId });
    const body = (await raw.json()) as { KeyMetadata: Record<string, unknown> };
    expect(raw.status).toBe(200);
    for (const field of ['Exportable', 'UsageConstraints', 'CurrentKeyVersion', 'ProtectionLevel', 'Keyring'])
      expect(body.KeyMetadata).not.toHaveProperty(field);
    expect(typeof body.KeyMetadata.CreationDate).toBe('number');
  });

  it('ListKeys pages with Limit, Marker, NextMarker and Truncated; a foreign marker is InvalidMarkerException', async () => {
    const seen: string[] = [];
    let Marker: string | undefined;
    let pages = 0;
    do {
      const page = await kms.send(new ListKeysCommand({ Limit: 3, ...(Marker ? { Marker } : {}) }));
      expect(page.Keys!.length).toBeLessThanOrEqual(3);
      expect(page.Truncated).toBe(page.NextMarker !== undefined);
      for (const entry of page.Keys!) {
        expect(entry.KeyArn).toBe(`arn:aws:kms:us-east-1:000000000000:key/${entry.KeyId}`);
        seen.push(entry.KeyId!);
      }
      Marker = page.NextMarker;
      pages += 1;
    } while (Marker);
    expect(pages).toBeGreaterThan(2);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(Object.values(keys).map((k) => k.KeyId!)));
    const bad = await kms.send(new ListKeysCommand({ Marker: 'bm9wZQ' })).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(InvalidMarkerException);
    await expectAws(kms.send(new ListKeysCommand({ Limit: 0 })), 'ValidationException');
  });

  it('UpdateKeyDescription replaces the description; NotFoundException for an unknown key', async () => {
    const meta = await createKey({ Description: 'old' });
    await kms.send(new UpdateKeyDescriptionCommand({ KeyId: meta.KeyId, Description: 'new' }));
    expect((await kms.send(new DescribeKeyCommand({ KeyId: meta.KeyId }))).KeyMetadata!.Description).toBe('new');
    await expectAws(
      kms.send(new UpdateKeyDescriptionCommand({ KeyId: 'alias/none', Description: 'x' })),
      'NotFoundException',
    );
  });

  it('DisableKey makes Encrypt fail with DisabledException; EnableKey restores it', async () => {
    const meta = await createKey();
    await kms.send(new DisableKeyCommand({ KeyId: meta.KeyId }));
    const described = (await kms.send(new DescribeKeyCommand({ KeyId: meta.KeyId }))).KeyMetadata!;
    expect(described).toMatchObject({ Enabled: false, KeyState: 'Disabled' });
    const error = await kms
      .send(new EncryptCommand({ KeyId: meta.KeyId, Plaintext: utf8('x') }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DisabledException);
    await kms.send(new EnableKeyCommand({ KeyId: meta.KeyId }));
    expect(
      (await kms.send(new EncryptCommand({ KeyId: meta.KeyId, Plaintext: utf8('x') }))).CiphertextBlob,
    ).toBeInstanceOf(Uint8Array);
    await expectAws(kms.send(new EnableKeyCommand({ KeyId: 'alias/none' })), 'NotFoundException');
  });

  it('ScheduleKeyDeletion answers the deletion date; the key refuses use (KMSInvalidStateException) until CancelKeyDeletion', async () => {
    const meta = await createKey();
    const scheduled = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: meta.KeyId, PendingWindowInDays: 7 }));
    expect(scheduled).toMatchObject({ KeyId: meta.Arn, KeyState: 'PendingDeletion', PendingWindowInDays: 7 });
    expect(scheduled.DeletionDate).toBeInstanceOf(Date);
    expect(Math.abs(scheduled.DeletionDate!.getTime() - (Date.now() + 7 * 24 * 60 * MIN))).toBeLessThan(MIN);
    const described = (await kms.send(new DescribeKeyCommand({ KeyId: meta.KeyId }))).KeyMetadata!;
    expect(described.DeletionDate).toEqual(scheduled.DeletionDate);
    expect(described.PendingDeletionWindowInDays).toBe(7);
    const error = await kms
      .send(new EncryptCommand({ KeyId: meta.KeyId, Plaintext: utf8('x') }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KMSInvalidStateException);
    await expectAws(kms.send(new EnableKeyCommand({ KeyId: meta.KeyId })), 'KMSInvalidStateException');
    expect((await kms.send(new CancelKeyDeletionCommand({ KeyId: meta.KeyId }))).KeyId).toBe(meta.Arn);
    expect((await kms.send(new DescribeKeyCommand({ KeyId: meta.KeyId }))).KeyMetadata!.KeyState).toBe('Disabled');
    await expectAws(kms.send(new CancelKeyDeletionCommand({ KeyId: meta.KeyId })), 'KMSInvalidStateException');
    await expectAws(
      kms.send(new ScheduleKeyDeletionCommand({ KeyId: meta.KeyId, PendingWindowInDays: 3 })),
      'ValidationException',
    );
  });
});

describe('aliases and tags', () => {
  it('CreateAlias, UpdateAlias, ListAliases (all, by key, paged) and DeleteAlias', async () => {
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/app/one', TargetKeyId: keys.aes.KeyId }));
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/app/two', TargetKeyId: keys.aes.Arn }));
    const byKey = await kms.send(new ListAliasesCommand({ KeyId: keys.aes.KeyId }));
    const one = byKey.Aliases!.find((a) => a.AliasName === 'alias/app/one')!;
    expect(one).toMatchObject({
      AliasArn: 'arn:aws:kms:us-east-1:000000000000:alias/app/one',
      TargetKeyId: keys.aes.KeyId,
    });
    expect(one.CreationDate).toBeInstanceOf(Date);
    expect(one.LastUpdatedDate).toBeInstanceOf(Date);

    await kms.send(new UpdateAliasCommand({ AliasName: 'alias/app/one', TargetKeyId: keys.aes2.KeyId }));
    const { KeyMetadata: moved } = await kms.send(new DescribeKeyCommand({ KeyId: 'alias/app/one' }));
    expect(moved!.KeyId).toBe(keys.aes2.KeyId);

    const names: string[] = [];
    let Marker: string | undefined;
    do {
      const page = await kms.send(new ListAliasesCommand({ Limit: 1, ...(Marker ? { Marker } : {}) }));
      expect(page.Aliases).toHaveLength(1);
      names.push(page.Aliases![0]!.AliasName!);
      Marker = page.Truncated ? page.NextMarker : undefined;
    } while (Marker);
    expect(names).toEqual(expect.arrayContaining(['alias/app/one', 'alias/app/two']));

    await kms.send(new DeleteAliasCommand({ AliasName: 'alias/app/one' }));
    await expectAws(kms.send(new DescribeKeyCommand({ KeyId: 'alias/app/one' })), 'NotFoundException');
    await expectAws(kms.send(new DeleteAliasCommand({ AliasName: 'alias/app/one' })), 'NotFoundException');
  });

  it('CreateAlias refuses a taken name (AlreadyExistsException) and a reserved one (InvalidAliasNameException)', async () => {
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/taken', TargetKeyId: keys.aes.KeyId }));
    expect(
      await kms
        .send(new CreateAliasCommand({ AliasName: 'alias/taken', TargetKeyId: keys.aes2.KeyId }))
        .catch((e: unknown) => e),
    ).toBeInstanceOf(AlreadyExistsException);
    expect(
      await kms
        .send(new CreateAliasCommand({ AliasName: 'alias/aws/mine', TargetKeyId: keys.aes.KeyId }))
        .catch((e: unknown) => e),
    ).toBeInstanceOf(InvalidAliasNameException);
    await expectAws(
      kms.send(new UpdateAliasCommand({ AliasName: 'alias/never', TargetKeyId: keys.aes.KeyId })),
      'NotFoundException',
    );
  });

  it('TagResource, ListResourceTags (paged) and UntagResource; reserved aws: tags are refused', async () => {
    const meta = await createKey();
    await kms.send(
      new TagResourceCommand({
        KeyId: meta.KeyId,
        Tags: [
          { TagKey: 'a', TagValue: '1' },
          { TagKey: 'b', TagValue: '2' },
          { TagKey: 'c', TagValue: '' },
        ],
      }),
    );
    const first = await kms.send(new ListResourceTagsCommand({ KeyId: meta.KeyId, Limit: 2 }));
    expect(first.Tags).toHaveLength(2);
    expect(first.Truncated).toBe(true);
    const second = await kms.send(
      new ListResourceTagsCommand({ KeyId: meta.KeyId, Limit: 2, Marker: first.NextMarker }),
    );
    expect([...first.Tags!, ...second.Tags!]).toEqual([
      { TagKey: 'a', TagValue: '1' },
      { TagKey: 'b', TagValue: '2' },
      { TagKey: 'c', TagValue: '' },
    ]);
    expect(second.Truncated).toBe(false);
    await kms.send(new UntagResourceCommand({ KeyId: meta.KeyId, TagKeys: ['a', 'c'] }));
    expect((await kms.send(new ListResourceTagsCommand({ KeyId: meta.KeyId }))).Tags).toEqual([
      { TagKey: 'b', TagValue: '2' },
    ]);
    await expectAws(
      kms.send(new TagResourceCommand({ KeyId: meta.KeyId, Tags: [{ TagKey: 'aws:x', TagValue: '1' }] })),
      'ValidationException',
    );
    await expectAws(kms.send(new ListResourceTagsCommand({ KeyId: 'alias/none' })), 'NotFoundException');
  });
});

describe('encryption and data keys', () => {
  it('Encrypt and Decrypt round-trip with an encryption context; Decrypt needs no key id and answers the key ARN', async () => {
    const enc = await user.send(
      new EncryptCommand({
        KeyId: keys.aes.KeyId,
        Plaintext: utf8('attack at dawn'),
        EncryptionContext: { tenant: 'acme' },
      }),
    );
    expect(enc).toMatchObject({ KeyId: keys.aes.Arn, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
    const dec = await user.send(
      new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { tenant: 'acme' } }),
    );
    expect(text(dec.Plaintext)).toBe('attack at dawn');
    expect(dec).toMatchObject({ KeyId: keys.aes.Arn, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
  });

  it('Decrypt fails with InvalidCiphertextException for a wrong context or a tampered blob, IncorrectKeyException for another key id', async () => {
    const enc = await user.send(
      new EncryptCommand({ KeyId: keys.aes.KeyId, Plaintext: utf8('x'), EncryptionContext: { a: '1' } }),
    );
    const wrongContext = await user
      .send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { a: '2' } }))
      .catch((e: unknown) => e);
    expect(wrongContext).toBeInstanceOf(InvalidCiphertextException);
    const blob = Uint8Array.from(enc.CiphertextBlob!);
    blob[blob.length - 1]! ^= 1;
    await expectAws(
      user.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { a: '1' } })),
      'InvalidCiphertextException',
    );
    const other = await user
      .send(
        new DecryptCommand({
          CiphertextBlob: enc.CiphertextBlob,
          EncryptionContext: { a: '1' },
          KeyId: keys.aes2.KeyId,
        }),
      )
      .catch((e: unknown) => e);
    expect(other).toBeInstanceOf(IncorrectKeyException);
    await expectAws(
      user.send(new EncryptCommand({ KeyId: keys.ecSign.KeyId, Plaintext: utf8('x') })),
      'InvalidKeyUsageException',
    );
    await expectAws(
      user.send(new EncryptCommand({ KeyId: keys.aes.KeyId, Plaintext: new Uint8Array(4097) })),
      'ValidationException',
    );
  });

  it('Encrypt and Decrypt with an RSA key and RSAES_OAEP_SHA_256', async () => {
    const enc = await user.send(
      new EncryptCommand({
        KeyId: keys.rsaEnc.KeyId,
        Plaintext: utf8('rsa'),
        EncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
      }),
    );
    const dec = await user.send(
      new DecryptCommand({
        KeyId: keys.rsaEnc.KeyId,
        CiphertextBlob: enc.CiphertextBlob,
        EncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
      }),
    );
    expect(text(dec.Plaintext)).toBe('rsa');
    await expectAws(
      user.send(new EncryptCommand({ KeyId: keys.rsaEnc.KeyId, Plaintext: utf8('rsa') })),
      'InvalidKeyUsageException',
    );
  });

  it('ReEncrypt moves a ciphertext to another key and context without exposing the plaintext', async () => {
    const enc = await user.send(
      new EncryptCommand({ KeyId: keys.aes.KeyId, Plaintext: utf8('move me'), EncryptionContext: { v: '1' } }),
    );
    const re = await user.send(
      new ReEncryptCommand({
        CiphertextBlob: enc.CiphertextBlob,
        SourceEncryptionContext: { v: '1' },
        DestinationKeyId: keys.aes2.KeyId,
        DestinationEncryptionContext: { v: '2' },
      }),
    );
    expect(re).toMatchObject({
      SourceKeyId: keys.aes.Arn,
      KeyId: keys.aes2.Arn,
      SourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      DestinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    });
    const dec = await user.send(
      new DecryptCommand({ CiphertextBlob: re.CiphertextBlob, EncryptionContext: { v: '2' } }),
    );
    expect(text(dec.Plaintext)).toBe('move me');
    await expectAws(
      user.send(new ReEncryptCommand({ CiphertextBlob: enc.CiphertextBlob, DestinationKeyId: keys.aes2.KeyId })),
      'InvalidCiphertextException',
    );
  });

  it('GenerateDataKey returns a plaintext key and its ciphertext; GenerateDataKeyWithoutPlaintext only the ciphertext', async () => {
    const dk = await user.send(
      new GenerateDataKeyCommand({ KeyId: keys.aes.KeyId, KeySpec: 'AES_256', EncryptionContext: { f: 'x' } }),
    );
    expect(dk.Plaintext).toHaveLength(32);
    expect(dk.KeyId).toBe(keys.aes.Arn);
    const dec = await user.send(
      new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob, EncryptionContext: { f: 'x' } }),
    );
    expect(Buffer.from(dec.Plaintext!).equals(Buffer.from(dk.Plaintext!))).toBe(true);
    expect(
      (await user.send(new GenerateDataKeyCommand({ KeyId: keys.aes.KeyId, NumberOfBytes: 20 }))).Plaintext,
    ).toHaveLength(20);

    const without = await user.send(
      new GenerateDataKeyWithoutPlaintextCommand({ KeyId: keys.aes.KeyId, KeySpec: 'AES_128' }),
    );
    expect((without as { Plaintext?: unknown }).Plaintext).toBeUndefined();
    expect((await user.send(new DecryptCommand({ CiphertextBlob: without.CiphertextBlob }))).Plaintext).toHaveLength(
      16,
    );

    await expectAws(
      user.send(new GenerateDataKeyCommand({ KeyId: keys.aes.KeyId, KeySpec: 'AES_256', NumberOfBytes: 32 })),
      'ValidationException',
    );
    expect(
      await user
        .send(new GenerateDataKeyCommand({ KeyId: keys.hmac.KeyId, KeySpec: 'AES_256' }))
        .catch((e: unknown) => e),
    ).toBeInstanceOf(InvalidKeyUsageException);
    await expectAws(
      user.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: 'alias/none', KeySpec: 'AES_256' })),
      'NotFoundException',
    );
  });

  it('GenerateDataKeyPair returns an SPKI public key and a PKCS#8 private key, plain and encrypted; WithoutPlaintext only encrypted', async () => {
    const pair = await user.send(
      new GenerateDataKeyPairCommand({ KeyId: keys.aes.KeyId, KeyPairSpec: 'ECC_NIST_P256' }),
    );
    expect(pair).toMatchObject({ KeyId: keys.aes.Arn, KeyPairSpec: 'ECC_NIST_P256' });
    expect(createPublicKey({ key: Buffer.from(pair.PublicKey!), format: 'der', type: 'spki' }).asymmetricKeyType).toBe(
      'ec',
    );
    const dec = await user.send(new DecryptCommand({ CiphertextBlob: pair.PrivateKeyCiphertextBlob }));
    expect(Buffer.from(dec.Plaintext!).equals(Buffer.from(pair.PrivateKeyPlaintext!))).toBe(true);

    const without = await user.send(
      new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: keys.aes.KeyId, KeyPairSpec: 'ECC_NIST_EDWARDS25519' }),
    );
    expect((without as { PrivateKeyPlaintext?: unknown }).PrivateKeyPlaintext).toBeUndefined();
    expect(
      createPublicKey({ key: Buffer.from(without.PublicKey!), format: 'der', type: 'spki' }).asymmetricKeyType,
    ).toBe('ed25519');

    await expectAws(
      user.send(new GenerateDataKeyPairCommand({ KeyId: keys.aes.KeyId, KeyPairSpec: 'DSA_1024' as never })),
      'ValidationException',
    );
    await expectAws(
      user.send(
        new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: keys.ecSign.KeyId, KeyPairSpec: 'ECC_NIST_P256' }),
      ),
      'InvalidKeyUsageException',
    );
  });

  it('GenerateRandom returns fresh random bytes; out-of-range sizes are ValidationException', async () => {
    const a = await user.send(new GenerateRandomCommand({ NumberOfBytes: 32 }));
    const b = await user.send(new GenerateRandomCommand({ NumberOfBytes: 32 }));
    expect(a.Plaintext).toHaveLength(32);
    expect(Buffer.from(a.Plaintext!).equals(Buffer.from(b.Plaintext!))).toBe(false);
    await expectAws(user.send(new GenerateRandomCommand({ NumberOfBytes: 0 })), 'ValidationException');
    await expectAws(user.send(new GenerateRandomCommand({ NumberOfBytes: 1025 })), 'ValidationException');
  });
});

describe('signing, MAC and key agreement', () => {
  it('Sign and Verify (ECDSA, RAW and DIGEST); the signature verifies locally against GetPublicKey', async () => {
    const message = utf8('pay 10 EUR');
    const signed = await user.send(
      new SignCommand({ KeyId: keys.ecSign.KeyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' }),
    );
    expect(signed).toMatchObject({ KeyId: keys.ecSign.Arn, SigningAlgorithm: 'ECDSA_SHA_256' });
    const pub = await user.send(new GetPublicKeyCommand({ KeyId: keys.ecSign.KeyId }));
    expect(pub).toMatchObject({
      KeyId: keys.ecSign.Arn,
      KeySpec: 'ECC_NIST_P256',
      KeyUsage: 'SIGN_VERIFY',
      SigningAlgorithms: ['ECDSA_SHA_256'],
    });
    const publicKey = createPublicKey({ key: Buffer.from(pub.PublicKey!), format: 'der', type: 'spki' });
    expect(verifySignature('sha256', message, publicKey, signed.Signature!)).toBe(true);

    const verified = await user.send(
      new VerifyCommand({
        KeyId: keys.ecSign.KeyId,
        Message: message,
        Signature: signed.Signature,
        SigningAlgorithm: 'ECDSA_SHA_256',
      }),
    );
    expect(verified).toMatchObject({ SignatureValid: true, KeyId: keys.ecSign.Arn });

    const digest = createHash('sha256').update(message).digest();
    const byDigest = await user.send(
      new SignCommand({
        KeyId: keys.ecSign.KeyId,
        Message: digest,
        MessageType: 'DIGEST',
        SigningAlgorithm: 'ECDSA_SHA_256',
      }),
    );
    expect(verifySignature('sha256', message, publicKey, byDigest.Signature!)).toBe(true);

    const bad = await user
      .send(
        new VerifyCommand({
          KeyId: keys.ecSign.KeyId,
          Message: utf8('pay 99 EUR'),
          Signature: signed.Signature,
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      )
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(KMSInvalidSignatureException);
    await expectAws(
      user.send(new SignCommand({ KeyId: keys.aes.KeyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' })),
      'InvalidKeyUsageException',
    );
    await expectAws(
      user.send(
        new SignCommand({ KeyId: keys.ecSign.KeyId, Message: message, SigningAlgorithm: 'RSASSA_PSS_SHA_256' }),
      ),
      'InvalidKeyUsageException',
    );
  });

  it('Sign and Verify with RSA-PSS', async () => {
    const message = utf8('rsa message');
    const signed = await user.send(
      new SignCommand({ KeyId: keys.rsaSign.KeyId, Message: message, SigningAlgorithm: 'RSASSA_PSS_SHA_256' }),
    );
    const pub = await user.send(new GetPublicKeyCommand({ KeyId: keys.rsaSign.Arn }));
    const publicKey = createPublicKey({ key: Buffer.from(pub.PublicKey!), format: 'der', type: 'spki' });
    expect(
      verifySignature(
        'sha256',
        message,
        { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
        signed.Signature!,
      ),
    ).toBe(true);
    expect(
      (
        await user.send(
          new VerifyCommand({
            KeyId: keys.rsaSign.KeyId,
            Message: message,
            Signature: signed.Signature,
            SigningAlgorithm: 'RSASSA_PSS_SHA_256',
          }),
        )
      ).SignatureValid,
    ).toBe(true);
  });

  it('GetPublicKey refuses a symmetric key (InvalidKeyUsageException) and an unknown one', async () => {
    await expectAws(user.send(new GetPublicKeyCommand({ KeyId: keys.aes.KeyId })), 'InvalidKeyUsageException');
    await expectAws(user.send(new GetPublicKeyCommand({ KeyId: 'alias/none' })), 'NotFoundException');
  });

  it('GenerateMac and VerifyMac; a wrong MAC is KMSInvalidMacException', async () => {
    const mac = await user.send(
      new GenerateMacCommand({ KeyId: keys.hmac.KeyId, Message: utf8('m'), MacAlgorithm: 'HMAC_SHA_256' }),
    );
    expect(mac).toMatchObject({ KeyId: keys.hmac.Arn, MacAlgorithm: 'HMAC_SHA_256' });
    expect(mac.Mac).toHaveLength(32);
    const ok = await user.send(
      new VerifyMacCommand({ KeyId: keys.hmac.KeyId, Message: utf8('m'), Mac: mac.Mac, MacAlgorithm: 'HMAC_SHA_256' }),
    );
    expect(ok.MacValid).toBe(true);
    const bad = await user
      .send(
        new VerifyMacCommand({
          KeyId: keys.hmac.KeyId,
          Message: utf8('n'),
          Mac: mac.Mac,
          MacAlgorithm: 'HMAC_SHA_256',
        }),
      )
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(KMSInvalidMacException);
    await expectAws(
      user.send(new GenerateMacCommand({ KeyId: keys.aes.KeyId, Message: utf8('m'), MacAlgorithm: 'HMAC_SHA_256' })),
      'InvalidKeyUsageException',
    );
  });

  it('DeriveSharedSecret agrees with the peer (ECDH P-256); a malformed peer key is ValidationException', async () => {
    const peer = createECDH('prime256v1');
    peer.generateKeys();
    const peerPublic = createPublicKey({ key: ecPointToJwk(peer.getPublicKey()), format: 'jwk' }).export({
      format: 'der',
      type: 'spki',
    });
    const derived = await user.send(
      new DeriveSharedSecretCommand({ KeyId: keys.agree.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: peerPublic }),
    );
    expect(derived).toMatchObject({ KeyId: keys.agree.Arn, KeyAgreementAlgorithm: 'ECDH', KeyOrigin: 'AWS_KMS' });
    const ours = await user.send(new GetPublicKeyCommand({ KeyId: keys.agree.KeyId }));
    const ourPoint = createPublicKey({ key: Buffer.from(ours.PublicKey!), format: 'der', type: 'spki' }).export({
      format: 'jwk',
    });
    const expected = peer.computeSecret(
      Buffer.concat([Buffer.from([4]), Buffer.from(ourPoint.x!, 'base64url'), Buffer.from(ourPoint.y!, 'base64url')]),
    );
    expect(Buffer.from(derived.SharedSecret!).equals(expected)).toBe(true);
    await expectAws(
      user.send(
        new DeriveSharedSecretCommand({
          KeyId: keys.agree.KeyId,
          KeyAgreementAlgorithm: 'ECDH',
          PublicKey: randomBytes(40),
        }),
      ),
      'ValidationException',
    );
  });
});

function ecPointToJwk(point: Buffer): { kty: 'EC'; crv: 'P-256'; x: string; y: string } {
  return {
    kty: 'EC',
    crv: 'P-256',
    x: point.subarray(1, 33).toString('base64url'),
    y: point.subarray(33, 65).toString('base64url'),
  };
}

describe('rotation', () => {
  it('EnableKeyRotation, GetKeyRotationStatus and DisableKeyRotation; asymmetric keys and short periods are refused', async () => {
    const meta = await createKey();
    await kms.send(new EnableKeyRotationCommand({ KeyId: meta.KeyId, RotationPeriodInDays: 90 }));
    const on = await kms.send(new GetKeyRotationStatusCommand({ KeyId: meta.KeyId }));
    expect(on).toMatchObject({ KeyRotationEnabled: true, RotationPeriodInDays: 90, KeyId: meta.Arn });
    expect(on.NextRotationDate).toBeInstanceOf(Date);
    expect(Math.abs(on.NextRotationDate!.getTime() - (Date.now() + 90 * 24 * 60 * MIN))).toBeLessThan(MIN);
    await kms.send(new DisableKeyRotationCommand({ KeyId: meta.KeyId }));
    expect((await kms.send(new GetKeyRotationStatusCommand({ KeyId: meta.KeyId }))).KeyRotationEnabled).toBe(false);
    await expectAws(
      kms.send(new EnableKeyRotationCommand({ KeyId: meta.KeyId, RotationPeriodInDays: 30 })),
      'ValidationException',
    );
    expect(
      await kms.send(new EnableKeyRotationCommand({ KeyId: keys.ecSign.KeyId })).catch((e: unknown) => e),
    ).toBeInstanceOf(UnsupportedOperationException);
    await kms.send(new DisableKeyCommand({ KeyId: meta.KeyId }));
    await expectAws(kms.send(new EnableKeyRotationCommand({ KeyId: meta.KeyId })), 'DisabledException');
  });

  it('RotateKeyOnDemand adds key material; ListKeyRotations pages the rotations; old ciphertexts still decrypt', async () => {
    const meta = await createKey();
    const old = await kms.send(new EncryptCommand({ KeyId: meta.KeyId, Plaintext: utf8('v1') }));
    expect((await kms.send(new RotateKeyOnDemandCommand({ KeyId: meta.KeyId }))).KeyId).toBe(meta.Arn);
    await kms.send(new RotateKeyOnDemandCommand({ KeyId: meta.KeyId }));
    const first = await kms.send(new ListKeyRotationsCommand({ KeyId: meta.KeyId, Limit: 1 }));
    expect(first.Rotations).toHaveLength(1);
    expect(first.Truncated).toBe(true);
    expect(first.Rotations![0]).toMatchObject({ KeyId: meta.Arn, RotationType: 'ON_DEMAND' });
    expect(first.Rotations![0]!.RotationDate).toBeInstanceOf(Date);
    const second = await kms.send(
      new ListKeyRotationsCommand({ KeyId: meta.KeyId, Limit: 1, Marker: first.NextMarker }),
    );
    expect(second.Rotations).toHaveLength(1);
    expect(second.Truncated).toBe(false);
    expect(text((await kms.send(new DecryptCommand({ CiphertextBlob: old.CiphertextBlob }))).Plaintext)).toBe('v1');
    expect(
      await kms.send(new RotateKeyOnDemandCommand({ KeyId: keys.rsaSign.KeyId })).catch((e: unknown) => e),
    ).toBeInstanceOf(UnsupportedOperationException);
    await expectAws(
      kms.send(new ListKeyRotationsCommand({ KeyId: meta.KeyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' })),
      'UnsupportedOperationException',
    );
  });
});

describe('imported key material', () => {
  it('CreateKey Origin EXTERNAL, GetParametersForImport, ImportKeyMaterial (with ValidTo), DeleteImportedKeyMaterial', async () => {
    const meta = await createKey({ Origin: 'EXTERNAL' });
    expect(meta).toMatchObject({ Origin: 'EXTERNAL', KeyState: 'PendingImport', Enabled: false });
    const params = await kms.send(
      new GetParametersForImportCommand({
        KeyId: meta.KeyId,
        WrappingAlgorithm: 'RSAES_OAEP_SHA_256',
        WrappingKeySpec: 'RSA_2048',
      }),
    );
    expect(params.KeyId).toBe(meta.Arn);
    expect(params.ParametersValidTo).toBeInstanceOf(Date);
    expect(params.ParametersValidTo!.getTime()).toBeGreaterThan(Date.now());
    const material = randomBytes(32);
    const wrapped = publicEncrypt(
      {
        key: createPublicKey({ key: Buffer.from(params.PublicKey!), format: 'der', type: 'spki' }),
        padding: constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: 'sha256',
      },
      material,
    );
    const validTo = new Date(Math.floor(Date.now() / 1000 + 86_400) * 1000);
    await kms.send(
      new ImportKeyMaterialCommand({
        KeyId: meta.KeyId,
        ImportToken: params.ImportToken,
        EncryptedKeyMaterial: wrapped,
        ExpirationModel: 'KEY_MATERIAL_EXPIRES',
        ValidTo: validTo,
      }),
    );
    const described = (await kms.send(new DescribeKeyCommand({ KeyId: meta.KeyId }))).KeyMetadata!;
    expect(described).toMatchObject({ KeyState: 'Enabled', ExpirationModel: 'KEY_MATERIAL_EXPIRES' });
    expect(described.ValidTo).toEqual(validTo);
    const enc = await kms.send(new EncryptCommand({ KeyId: meta.KeyId, Plaintext: utf8('imported') }));
    expect(text((await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }))).Plaintext)).toBe(
      'imported',
    );

    const forged = await kms
      .send(
        new ImportKeyMaterialCommand({
          KeyId: meta.KeyId,
          ImportToken: randomBytes(17),
          EncryptedKeyMaterial: wrapped,
          ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
        }),
      )
      .catch((e: unknown) => e);
    expect(forged).toBeInstanceOf(InvalidImportTokenException);

    await kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: meta.KeyId }));
    expect((await kms.send(new DescribeKeyCommand({ KeyId: meta.KeyId }))).KeyMetadata!.KeyState).toBe('PendingImport');
    await expectAws(
      kms.send(new EncryptCommand({ KeyId: meta.KeyId, Plaintext: utf8('x') })),
      'KMSInvalidStateException',
    );
    await expectAws(
      kms.send(
        new GetParametersForImportCommand({
          KeyId: keys.aes.KeyId,
          WrappingAlgorithm: 'RSAES_OAEP_SHA_256',
          WrappingKeySpec: 'RSA_2048',
        }),
      ),
      'UnsupportedOperationException',
    );
    await expectAws(kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: 'alias/none' })), 'NotFoundException');
  });
});

describe('key policy', () => {
  it('GetKeyPolicy answers the default policy; PutKeyPolicy replaces it; other names and malformed documents are refused', async () => {
    const meta = await createKey();
    const initial = await kms.send(new GetKeyPolicyCommand({ KeyId: meta.KeyId, PolicyName: 'default' }));
    expect(initial.PolicyName).toBe('default');
    expect(JSON.parse(initial.Policy!)).toHaveProperty('Statement');
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: {
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::000000000000:root' },
        Action: 'kms:*',
        Resource: '*',
      },
    });
    await kms.send(new PutKeyPolicyCommand({ KeyId: meta.KeyId, PolicyName: 'default', Policy: policy }));
    expect((await kms.send(new GetKeyPolicyCommand({ KeyId: meta.KeyId }))).Policy).toBe(policy);
    await expectAws(kms.send(new GetKeyPolicyCommand({ KeyId: meta.KeyId, PolicyName: 'other' })), 'NotFoundException');
    await expectAws(
      kms.send(new PutKeyPolicyCommand({ KeyId: meta.KeyId, Policy: 'not json' })),
      'MalformedPolicyDocumentException',
    );
  });
});

describe('protocol', () => {
  it('answers with the AWS content type and x-amzn-RequestId; errors carry __type, message and x-amzn-ErrorType', async () => {
    const ok = await signedFetch('TrentService.GenerateRandom', { NumberOfBytes: 4 });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(ok.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(Buffer.from(((await ok.json()) as { Plaintext: string }).Plaintext, 'base64')).toHaveLength(4);

    const missing = await signedFetch('TrentService.DescribeKey', { KeyId: 'alias/none' });
    expect(missing.status).toBe(400);
    expect(missing.headers.get('x-amzn-errortype')).toBe('NotFoundException');
    expect(await missing.json()).toEqual({ __type: 'NotFoundException', message: expect.any(String) });
  });

  it('refuses unknown fields with ValidationException and Custos-only fields likewise', async () => {
    const typo = await signedFetch('TrentService.Encrypt', {
      KeyId: keys.aes.KeyId,
      Plaintext: 'aGk=',
      Plaintxt: 'aGk=',
    });
    expect(typo.status).toBe(400);
    expect(((await typo.json()) as { __type: string }).__type).toBe('ValidationException');
    const custosOnly = await signedFetch('TrentService.CreateKey', { Exportable: true });
    expect(((await custosOnly.json()) as { __type: string }).__type).toBe('ValidationException');
  });

  it('refuses a body that is not a JSON object with SerializationException', async () => {
    for (const body of ['{"KeyId":', '[1,2]', 'null']) {
      const res = await signedFetch('TrentService.DescribeKey', body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { __type: string }).__type).toBe('SerializationException');
    }
  });

  it('answers a TrentService operation Custos does not serve with UnsupportedOperationException', async () => {
    expect(
      await kms
        .send(new CreateGrantCommand({ KeyId: keys.aes.KeyId, GranteePrincipal: 'p', Operations: ['Encrypt'] }))
        .catch((e: unknown) => e),
    ).toBeInstanceOf(UnsupportedOperationException);
    await expectAws(kms.send(new ListGrantsCommand({ KeyId: keys.aes.KeyId })), 'UnsupportedOperationException');
    await expectAws(
      kms.send(new ReplicateKeyCommand({ KeyId: keys.aes.KeyId, ReplicaRegion: 'eu-west-1' })),
      'UnsupportedOperationException',
    );
    const other = await signedFetch('DynamoDB_20120810.ListTables', {});
    expect(((await other.json()) as { __type: string }).__type).toBe('UnknownOperationException');
  });

  it('answers a request without credentials with MissingAuthenticationTokenException (the bearer token does not work here)', async () => {
    const cases: [Record<string, string>, string][] = [
      [{}, 'MissingAuthenticationTokenException'],
      [{ authorization: 'Bearer x' }, 'IncompleteSignatureException'],
    ];
    for (const [headers, expected] of cases) {
      const res = await fetch(server.url + '/', {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.ListKeys', ...headers },
        body: '{}',
      });
      expect(res.status).toBe(400);
      expect(res.headers.get('x-amzn-errortype'), JSON.stringify(headers)).toBe(expected);
    }
    const none = await fetch(server.url + '/', {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1' },
      body: '{}',
    });
    expect(await none.json()).toEqual({
      __type: 'MissingAuthenticationTokenException',
      message: 'Missing Authentication Token',
    });
  });
});

describe('SigV4 authentication and roles', () => {
  it('a wrong secret is InvalidSignatureException', async () => {
    const client = server.client({ accessKeyId: adminCreds.accessKeyId, secretAccessKey: 'x'.repeat(40) });
    const error = await expectAws(client.send(new ListKeysCommand({})), 'InvalidSignatureException');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('an unknown access key id is UnrecognizedClientException', async () => {
    const client = server.client({ accessKeyId: 'AKIACUSTOSAAAAAAAAAA', secretAccessKey: adminCreds.secretAccessKey });
    await expectAws(client.send(new ListKeysCommand({})), 'UnrecognizedClientException');
    const foreign = server.client({
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    });
    await expectAws(foreign.send(new ListKeysCommand({})), 'UnrecognizedClientException');
  });

  it('a request signed 20 minutes ago is InvalidSignatureException "Signature expired"; the SDK corrects its clock when it may retry', async () => {
    const skewed = server.client(adminCreds, { systemClockOffset: -20 * MIN });
    const error = await expectAws(skewed.send(new ListKeysCommand({})), 'InvalidSignatureException');
    expect(error.message).toMatch(/^Signature expired/);
    // With retries, the SDK reads the server's Date header, corrects its offset and signs again (as with AWS).
    const retrying = server.client(adminCreds, { systemClockOffset: -20 * MIN, maxAttempts: 2 });
    expect((await retrying.send(new ListKeysCommand({}))).Keys).toBeDefined();
  });

  it('a client configured for another region is refused with InvalidSignatureException', async () => {
    const client = new KMSClient({
      endpoint: server.url,
      region: 'eu-west-1',
      credentials: adminCreds,
      maxAttempts: 1,
    });
    const error = await expectAws(client.send(new ListKeysCommand({})), 'InvalidSignatureException');
    expect(error.message).toMatch(/region/);
  });

  it('a revoked access key stops working at once (UnrecognizedClientException)', async () => {
    const creds = await server.accessKey(['key-user']);
    const client = server.client(creds);
    await client.send(new GenerateRandomCommand({ NumberOfBytes: 8 }));
    await server.admin.revokeAccessKey({ accessKeyId: creds.accessKeyId });
    await expectAws(client.send(new GenerateRandomCommand({ NumberOfBytes: 8 })), 'UnrecognizedClientException');
  });

  it('roles apply as on the native API: a key-user may Encrypt but not CreateKey (AccessDeniedException); a key-admin may not Encrypt', async () => {
    await expectAws(user.send(new CreateKeyCommand({})), 'AccessDeniedException');
    await expectAws(user.send(new ScheduleKeyDeletionCommand({ KeyId: keys.aes.KeyId })), 'AccessDeniedException');
    const keyAdmin = server.client(await server.accessKey(['key-admin']));
    const created = (await keyAdmin.send(new CreateKeyCommand({}))).KeyMetadata!;
    await expectAws(
      keyAdmin.send(new EncryptCommand({ KeyId: created.KeyId, Plaintext: utf8('x') })),
      'AccessDeniedException',
    );
    expect((await user.send(new EncryptCommand({ KeyId: created.KeyId, Plaintext: utf8('x') }))).KeyId).toBe(
      created.Arn,
    );
  });

  it('the audit log records the access key principal and the x-amzn-RequestId of each AWS call', async () => {
    const res = await signedFetch('TrentService.GenerateRandom', { NumberOfBytes: 1 });
    const requestId = res.headers.get('x-amzn-requestid');
    const records = [];
    for (let after: number | undefined = 0; after !== undefined;) {
      const page = await server.admin.listAuditRecords({ after, limit: 1000 });
      records.push(...page.records);
      after = page.nextAfter;
    }
    const record = records.find((r) => r.requestId === requestId);
    expect(record).toMatchObject({ principal: 'aws-admin', operation: 'GenerateRandom', outcome: 'allowed' });
  });
});

describe('the AWS protocol and the native API share keys', () => {
  it('a key created through the AWS protocol is usable through RemoteKms, and the other way round', async () => {
    const awsKey = await createKey({ Description: 'made over AWS' });
    const { ciphertextBlob } = await server.admin.encrypt({
      keyId: awsKey.KeyId!,
      plaintext: utf8('native'),
      encryptionContext: { via: 'rest' },
    });
    const viaAws = await user.send(
      new DecryptCommand({ CiphertextBlob: ciphertextBlob, EncryptionContext: { via: 'rest' } }),
    );
    expect(text(viaAws.Plaintext)).toBe('native');

    const { keyMetadata } = await server.admin.createKey({
      description: 'made over REST',
      tags: [{ tagKey: 'origin', tagValue: 'rest' }],
    });
    const described = (await kms.send(new DescribeKeyCommand({ KeyId: keyMetadata.arn }))).KeyMetadata!;
    expect(described).toMatchObject({ KeyId: keyMetadata.keyId, Description: 'made over REST' });
    const enc = await user.send(new EncryptCommand({ KeyId: keyMetadata.keyId, Plaintext: utf8('aws') }));
    const { plaintext } = await server.admin.decrypt({ ciphertextBlob: enc.CiphertextBlob! });
    expect(text(plaintext)).toBe('aws');
    const viaRest = await new RemoteKms({ endpoint: server.url, token: 'cst_' + 'A'.repeat(43) })
      .describeKey({ keyId: keyMetadata.keyId })
      .catch((e: unknown) => e);
    expect((viaRest as { code?: string }).code).toBe('UNAUTHENTICATED');
  });

  it('access keys are listed through the native API without their secrets', async () => {
    const { accessKeys } = await server.admin.listAccessKeys({ limit: 1000 });
    const entry = accessKeys.find((k) => k.accessKeyId === adminCreds.accessKeyId);
    expect(entry).toMatchObject({ principal: 'aws-admin', roles: ['admin'] });
    expect(entry!.lastUsedAt).toBeInstanceOf(Date);
    expect(JSON.stringify(accessKeys)).not.toContain(adminCreds.secretAccessKey);
  });
});

/** A request signed with the admin access key, sent with fetch (to read raw replies, or send what the SDK would not). */
function signedFetch(target: string, body: unknown): Promise<Response> {
  return signedFetchAs(server.url, adminCreds, target, body);
}

describe('server options awsRegion and awsAccountId', () => {
  it('name the region and account of key ARNs and the region SigV4 scopes must name', async () => {
    const other = await startAwsServer({ awsRegion: 'eu-central-1', awsAccountId: '123456789012' }, 'eu-central-1');
    try {
      const client = other.client(await other.accessKey(['admin']));
      const meta = (await client.send(new CreateKeyCommand({}))).KeyMetadata!;
      expect(meta.Arn).toBe(`arn:aws:kms:eu-central-1:123456789012:key/${meta.KeyId}`);
      expect(meta.AWSAccountId).toBe('123456789012');
      expect((await client.send(new DescribeKeyCommand({ KeyId: meta.Arn }))).KeyMetadata!.KeyId).toBe(meta.KeyId);
      const usEast = new KMSClient({
        endpoint: other.url,
        region: 'us-east-1',
        credentials: await other.accessKey(['admin']),
        maxAttempts: 1,
      });
      await expectAws(usEast.send(new ListKeysCommand({})), 'InvalidSignatureException');
      client.destroy();
      usEast.destroy();
    } finally {
      await other.close();
    }
  });
});

describe('metrics', () => {
  it('count AWS calls by their operation; calls that name no supported operation stay under "AwsKms"', async () => {
    const scrape = async () =>
      (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${server.adminToken}` } })).text();
    const count = (text: string, labels: string) =>
      Number(new RegExp(`^custos_requests_total\\{${labels}\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
    const before = await scrape();
    await kms.send(new GenerateRandomCommand({ NumberOfBytes: 8 }));
    await kms.send(new GenerateRandomCommand({ NumberOfBytes: 8 }));
    await expectAws(kms.send(new GenerateRandomCommand({ NumberOfBytes: 0 })), 'ValidationException');
    expect((await signedFetch('TrentService.CreateGrant', {})).status).toBe(400);
    const after = await scrape();
    const delta = (labels: string) => count(after, labels) - count(before, labels);
    expect(delta('operation="GenerateRandom",outcome="ok"')).toBe(2);
    expect(delta('operation="GenerateRandom",outcome="VALIDATION_ERROR"')).toBe(1);
    expect(delta('operation="AwsKms",outcome="UNSUPPORTED"')).toBe(1);
    expect(after).not.toContain('operation="CreateGrant"');
  });
});
