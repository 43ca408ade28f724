// Grants through the AWS SDK for JavaScript against a real server: CreateGrant, ListGrants, ListRetirableGrants,
// RetireGrant, RevokeGrant, and Encrypt/Decrypt as a grantee whose access key has no role at all, with grant tokens
// and constraints; AWS exception names for every refusal.
import {
  CreateGrantCommand,
  CreateKeyCommand,
  DecryptCommand,
  EncryptCommand,
  ListGrantsCommand,
  ListRetirableGrantsCommand,
  RetireGrantCommand,
  RevokeGrantCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAws, startAwsServer, type AwsTestServer } from './helpers.js';

const ACCOUNT = '000000000000';
const arn = (principal: string) => `arn:aws:iam::${ACCOUNT}:user/${principal}`;
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('grants over the AWS KMS protocol (AWS SDK)', () => {
  let server: AwsTestServer;
  let admin: KMSClient;
  let grantee: KMSClient;
  let retirer: KMSClient;
  beforeAll(async () => {
    server = await startAwsServer();
    admin = server.client(await server.accessKey(['admin'], 'aws-admin'));
    // Access keys with no role at all: whatever they do with a key, a grant (or the key policy) gave them.
    grantee = server.client(await server.accessKey([], 'aws-grantee'));
    retirer = server.client(await server.accessKey([], 'aws-retirer'));
  });
  afterAll(async () => server.close());

  const newKey = async () => (await admin.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;

  it('CreateGrant → Encrypt/Decrypt as the grantee (with the token at once) → ListGrants → RetireGrant', async () => {
    const KeyId = await newKey();
    await expectAws(grantee.send(new EncryptCommand({ KeyId, Plaintext: utf8('x') })), 'AccessDeniedException');
    const created = await admin.send(
      new CreateGrantCommand({
        KeyId,
        GranteePrincipal: arn('aws-grantee'),
        RetiringPrincipal: arn('aws-retirer'),
        Operations: ['Encrypt', 'Decrypt'],
        Constraints: { EncryptionContextSubset: { app: 'billing' } },
        Name: 'billing-app',
      }),
    );
    expect(created.GrantId).toMatch(/^[0-9a-f]{64}$/);
    const GrantTokens = [created.GrantToken!];
    const EncryptionContext = { app: 'billing', order: '42' };
    const { CiphertextBlob } = await grantee.send(
      new EncryptCommand({ KeyId, Plaintext: utf8('secret'), EncryptionContext, GrantTokens }),
    );
    const decrypted = await grantee.send(new DecryptCommand({ CiphertextBlob, EncryptionContext }));
    expect(Buffer.from(decrypted.Plaintext!).toString()).toBe('secret');
    await expectAws(
      grantee.send(new EncryptCommand({ KeyId, Plaintext: utf8('x'), EncryptionContext: { app: 'sales' } })),
      'AccessDeniedException',
    );
    // The same Name and parameters: the same grant.
    const again = await admin.send(
      new CreateGrantCommand({
        KeyId,
        GranteePrincipal: arn('aws-grantee'),
        RetiringPrincipal: arn('aws-retirer'),
        Operations: ['Decrypt', 'Encrypt'],
        Constraints: { EncryptionContextSubset: { app: 'billing' } },
        Name: 'billing-app',
      }),
    );
    expect(again.GrantId).toBe(created.GrantId);
    const listed = await admin.send(new ListGrantsCommand({ KeyId }));
    expect(listed.Truncated).toBe(false);
    expect(listed.Grants).toHaveLength(1);
    expect(listed.Grants![0]).toMatchObject({
      GrantId: created.GrantId,
      Name: 'billing-app',
      GranteePrincipal: arn('aws-grantee'),
      RetiringPrincipal: arn('aws-retirer'),
      IssuingAccount: `arn:aws:iam::${ACCOUNT}:root`,
      Operations: ['Encrypt', 'Decrypt'],
      Constraints: { EncryptionContextSubset: { app: 'billing' } },
    });
    expect(listed.Grants![0]!.CreationDate).toBeInstanceOf(Date);
    const retirable = await admin.send(new ListRetirableGrantsCommand({ RetiringPrincipal: arn('aws-retirer') }));
    expect(retirable.Grants!.map((g) => g.GrantId)).toEqual([created.GrantId]);
    // The grantee may not retire a grant that does not allow RetireGrant; the retiring principal may.
    await expectAws(grantee.send(new RetireGrantCommand({ GrantToken: GrantTokens[0] })), 'AccessDeniedException');
    await retirer.send(new RetireGrantCommand({ GrantToken: GrantTokens[0] }));
    await expectAws(
      grantee.send(new EncryptCommand({ KeyId, Plaintext: utf8('x'), EncryptionContext })),
      'AccessDeniedException',
    );
    expect((await admin.send(new ListGrantsCommand({ KeyId }))).Grants).toEqual([]);
  });

  it('RevokeGrant by the key manager; the grantee may not revoke', async () => {
    const KeyId = await newKey();
    const { GrantId } = await admin.send(
      new CreateGrantCommand({ KeyId, GranteePrincipal: arn('aws-grantee'), Operations: ['Encrypt'] }),
    );
    await grantee.send(new EncryptCommand({ KeyId, Plaintext: utf8('x') }));
    await expectAws(grantee.send(new RevokeGrantCommand({ KeyId, GrantId })), 'AccessDeniedException');
    await admin.send(new RevokeGrantCommand({ KeyId, GrantId }));
    await expectAws(grantee.send(new EncryptCommand({ KeyId, Plaintext: utf8('x') })), 'AccessDeniedException');
    await expectAws(admin.send(new RevokeGrantCommand({ KeyId, GrantId })), 'NotFoundException');
  });

  it('AWS exceptions: InvalidGrantTokenException, InvalidGrantIdException, ValidationException', async () => {
    const KeyId = await newKey();
    await expectAws(
      admin.send(new EncryptCommand({ KeyId, Plaintext: utf8('x'), GrantTokens: ['not-a-custos-token'] })),
      'InvalidGrantTokenException',
    );
    await expectAws(admin.send(new RetireGrantCommand({ GrantToken: 'cgt1.AAAA' })), 'InvalidGrantTokenException');
    await expectAws(admin.send(new RevokeGrantCommand({ KeyId, GrantId: 'nope' })), 'InvalidGrantIdException');
    await expectAws(
      admin.send(new CreateGrantCommand({ KeyId, GranteePrincipal: arn('x'), Operations: ['Sign'] })),
      'ValidationException',
    );
    const signer = (await admin.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })))
      .KeyMetadata!.KeyId!;
    await expectAws(
      admin.send(
        new CreateGrantCommand({
          KeyId: signer,
          GranteePrincipal: arn('x'),
          Operations: ['Sign'],
          Constraints: { EncryptionContextEquals: { a: '1' } },
        }),
      ),
      'ValidationException',
    );
  });
});
