// The custom key store operations through the AWS SDK (@aws-sdk/client-kms) against a real server on a SoftHSM2 root:
// every operation, the AWS exception of each refusal, and the PIN in no answer or log line. Skipped loudly without
// softhsm2.
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import {
  ConnectCustomKeyStoreCommand,
  CreateCustomKeyStoreCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  DeleteCustomKeyStoreCommand,
  DescribeCustomKeyStoresCommand,
  DisconnectCustomKeyStoreCommand,
  UpdateCustomKeyStoreCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeSoftHsm, makeToken, type TestToken } from '../helpers/softhsm.js';
import { awsErrorType, expectAws, signedFetch, startAwsServer, type AwsTestServer } from './helpers.js';

const TRUST_ANCHOR = readFileSync(new URL('../fixtures/trust-anchor.pem', import.meta.url), 'utf8');
const STORE_PIN = '88302-aws-store-pin';

describeSoftHsm('custom key stores over the AWS SDK')('custom key stores through the AWS SDK (SoftHSM2 root)', () => {
  let server: AwsTestServer;
  let client: KMSClient;
  let credentials: { accessKeyId: string; secretAccessKey: string };
  let tokens: TestToken[];
  const logLines: string[] = [];

  beforeAll(async () => {
    const root = makeToken('71345-aws-root-pin');
    tokens = Array.from({ length: 5 }, () => makeToken(STORE_PIN));
    server = await startAwsServer({
      rootOfTrust: { kind: 'pkcs11', module: root.module, tokenLabel: root.label, pin: root.pin },
      logger: {
        level: 'debug',
        stream: new Writable({
          write(chunk: Buffer, _enc, done) {
            logLines.push(chunk.toString('utf8'));
            done();
          },
        }),
      },
    });
    credentials = await server.accessKey(['admin']);
    client = server.client(credentials);
  });
  afterAll(async () => server.close());

  const create = (token: TestToken, name: string, pin = STORE_PIN) =>
    client.send(
      new CreateCustomKeyStoreCommand({
        CustomKeyStoreName: name,
        CloudHsmClusterId: token.label,
        KeyStorePassword: pin,
        TrustAnchorCertificate: TRUST_ANCHOR,
      }),
    );
  const describeOne = async (CustomKeyStoreId: string) =>
    (await client.send(new DescribeCustomKeyStoresCommand({ CustomKeyStoreId }))).CustomKeyStores![0]!;

  it('CreateCustomKeyStore, DescribeCustomKeyStores, Connect, Update, Disconnect, Delete', async () => {
    const token = tokens[0]!;
    const { CustomKeyStoreId: id } = await create(token, 'aws-store');
    expect(id).toMatch(/^cks-[0-9a-f]{17}$/);
    const described = await describeOne(id!);
    expect(described).toMatchObject({
      CustomKeyStoreId: id,
      CustomKeyStoreName: 'aws-store',
      CustomKeyStoreType: 'AWS_CLOUDHSM',
      CloudHsmClusterId: token.label,
      TrustAnchorCertificate: TRUST_ANCHOR.trim() + '\n',
      ConnectionState: 'DISCONNECTED',
    });
    expect(described.CreationDate).toBeInstanceOf(Date);
    expect(Math.abs(described.CreationDate!.getTime() - Date.now())).toBeLessThan(60_000);
    await client.send(new ConnectCustomKeyStoreCommand({ CustomKeyStoreId: id }));
    expect((await describeOne(id!)).ConnectionState).toBe('CONNECTED');
    await expectAws(
      client.send(new UpdateCustomKeyStoreCommand({ CustomKeyStoreId: id, NewCustomKeyStoreName: 'renamed' })),
      'CustomKeyStoreInvalidStateException',
    );
    await expectAws(
      client.send(new DeleteCustomKeyStoreCommand({ CustomKeyStoreId: id })),
      'CustomKeyStoreInvalidStateException',
    );
    await client.send(new DisconnectCustomKeyStoreCommand({ CustomKeyStoreId: id }));
    await client.send(
      new UpdateCustomKeyStoreCommand({
        CustomKeyStoreId: id,
        NewCustomKeyStoreName: 'renamed',
        KeyStorePassword: STORE_PIN,
      }),
    );
    const byName = await client.send(new DescribeCustomKeyStoresCommand({ CustomKeyStoreName: 'renamed' }));
    expect(byName.CustomKeyStores!.map((s) => s.CustomKeyStoreId)).toEqual([id]);
    const all = await client.send(new DescribeCustomKeyStoresCommand({}));
    expect(all.Truncated).toBe(false);
    await client.send(new DeleteCustomKeyStoreCommand({ CustomKeyStoreId: id }));
    await expectAws(
      client.send(new DescribeCustomKeyStoresCommand({ CustomKeyStoreId: id })),
      'CustomKeyStoreNotFoundException',
    );
  });

  it('a wrong PIN leaves the store FAILED with INVALID_CREDENTIALS; an unknown token label with CLUSTER_NOT_FOUND', async () => {
    const { CustomKeyStoreId: wrong } = await create(tokens[1]!, 'aws-wrong-pin', 'not-the-pin');
    await client.send(new ConnectCustomKeyStoreCommand({ CustomKeyStoreId: wrong }));
    expect(await describeOne(wrong!)).toMatchObject({
      ConnectionState: 'FAILED',
      ConnectionErrorCode: 'INVALID_CREDENTIALS',
    });
    await expectAws(
      client.send(new ConnectCustomKeyStoreCommand({ CustomKeyStoreId: wrong })),
      'CustomKeyStoreInvalidStateException',
    );
    const { CustomKeyStoreId: lost } = await create({ ...tokens[1]!, label: 'no-such-token' }, 'aws-lost');
    await client.send(new ConnectCustomKeyStoreCommand({ CustomKeyStoreId: lost }));
    expect(await describeOne(lost!)).toMatchObject({
      ConnectionState: 'FAILED',
      ConnectionErrorCode: 'CLUSTER_NOT_FOUND',
    });
  });

  it('refuses a name or token in use, EXTERNAL_KEY_STORE, a bad trust anchor, and any field naming a library', async () => {
    await create(tokens[2]!, 'aws-taken');
    await expectAws(create(tokens[4]!, 'aws-taken'), 'CustomKeyStoreNameInUseException');
    await expectAws(create(tokens[2]!, 'aws-other'), 'CloudHsmClusterInUseException');
    await expectAws(
      client.send(
        new CreateCustomKeyStoreCommand({
          CustomKeyStoreName: 'aws-xks',
          CustomKeyStoreType: 'EXTERNAL_KEY_STORE',
          XksProxyUriEndpoint: 'https://xks.example',
          XksProxyConnectivity: 'PUBLIC_ENDPOINT',
        }),
      ),
      'UnsupportedOperationException',
    );
    await expectAws(
      client.send(
        new CreateCustomKeyStoreCommand({
          CustomKeyStoreName: 'aws-xks2',
          CustomKeyStoreType: 'EXTERNAL_KEY_STORE',
        }),
      ),
      'UnsupportedOperationException',
    );
    await expectAws(
      client.send(
        new CreateCustomKeyStoreCommand({
          CustomKeyStoreName: 'aws-bad-anchor',
          CloudHsmClusterId: tokens[4]!.label,
          KeyStorePassword: STORE_PIN,
          TrustAnchorCertificate: 'not a certificate',
        }),
      ),
      'IncorrectTrustAnchorException',
    );
    // No field of the AWS shapes names a library; one a client makes up is refused before anything happens.
    for (const field of ['Module', 'Pkcs11Module', 'HsmModule', 'ModulePath', 'Library']) {
      const reply = await signedFetch(server.url, credentials, 'TrentService.CreateCustomKeyStore', {
        CustomKeyStoreName: `aws-lib-${field}`,
        CloudHsmClusterId: tokens[4]!.label,
        KeyStorePassword: STORE_PIN,
        TrustAnchorCertificate: TRUST_ANCHOR,
        [field]: '/tmp/evil.so',
      });
      expect(reply.status).toBe(400);
      expect(await awsErrorType(reply)).toBe('ValidationException');
    }
    const names = (await client.send(new DescribeCustomKeyStoresCommand({}))).CustomKeyStores!.map(
      (s) => s.CustomKeyStoreName,
    );
    expect(
      names.filter((n) => n!.startsWith('aws-lib-') || n === 'aws-bad-anchor' || n!.startsWith('aws-xks')),
    ).toEqual([]);
  });

  it('CreateKey with CustomKeyStoreId and Origin AWS_CLOUDHSM, Encrypt/Decrypt with it, DescribeKey fields, CustomKeyStoreHasCMKsException', async () => {
    const token = tokens[3]!;
    const { CustomKeyStoreId: id } = await create(token, 'aws-keys');
    await expectAws(
      client.send(new CreateKeyCommand({ CustomKeyStoreId: id, Origin: 'AWS_CLOUDHSM' })),
      'CustomKeyStoreInvalidStateException',
    );
    await client.send(new ConnectCustomKeyStoreCommand({ CustomKeyStoreId: id }));
    const { KeyMetadata: created } = await client.send(
      new CreateKeyCommand({ CustomKeyStoreId: id, Origin: 'AWS_CLOUDHSM', Description: 'in a token' }),
    );
    expect(created).toMatchObject({ Origin: 'AWS_CLOUDHSM', CustomKeyStoreId: id, CloudHsmClusterId: token.label });
    const keyId = created!.KeyId!;
    const { KeyMetadata: described } = await client.send(new DescribeKeyCommand({ KeyId: keyId }));
    expect(described).toMatchObject({
      Origin: 'AWS_CLOUDHSM',
      CustomKeyStoreId: id,
      CloudHsmClusterId: token.label,
      KeySpec: 'SYMMETRIC_DEFAULT',
      KeyState: 'Enabled',
    });
    expect(described).not.toHaveProperty('ProtectionLevel'); // a Custos field, native API only
    const plaintext = new TextEncoder().encode('through the AWS SDK, in the token');
    const { CiphertextBlob } = await client.send(
      new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionContext: { tenant: 'a' } }),
    );
    const decrypted = await client.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { tenant: 'a' } }));
    expect(decrypted.Plaintext).toEqual(plaintext);
    expect(decrypted.KeyId).toBe(created!.Arn);
    const dataKey = await client.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256' }));
    expect((await client.send(new DecryptCommand({ CiphertextBlob: dataKey.CiphertextBlob }))).Plaintext).toEqual(
      dataKey.Plaintext,
    );
    await client.send(new DisconnectCustomKeyStoreCommand({ CustomKeyStoreId: id }));
    await expectAws(
      client.send(new DeleteCustomKeyStoreCommand({ CustomKeyStoreId: id })),
      'CustomKeyStoreHasCMKsException',
    );
    await expectAws(
      client.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext })),
      'CustomKeyStoreInvalidStateException',
    );
  });

  it('puts the PIN in no answer and no log line', async () => {
    const answers = JSON.stringify(await client.send(new DescribeCustomKeyStoresCommand({})));
    for (const text of [answers, logLines.join('')]) expect(text).not.toContain(STORE_PIN);
    expect(logLines.join('')).toContain('"statusCode":400'); // the log did record the calls, refused ones too
  });
});
