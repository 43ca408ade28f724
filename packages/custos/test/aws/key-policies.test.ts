// Key policies over the AWS protocol, with the real AWS SDK against a real server (issue 16): a Deny answers
// AccessDeniedException, a role-less access key works where a policy allows it, aws:SourceIp is the client's
// address (also on the native API), ListKeyPolicies, and the lockout check as MalformedPolicyDocumentException.
import {
  CreateKeyCommand,
  DescribeKeyCommand,
  EncryptCommand,
  ListKeyPoliciesCommand,
  PutKeyPolicyCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { RemoteKms } from '@custos/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';
import { expectAws, startAwsServer, type AwsTestServer } from './helpers.js';

const ACCOUNT = '000000000000';
const ROOT_STATEMENT = {
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
  Action: 'kms:*',
  Resource: '*',
};
const policy = (...statements: object[]) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [ROOT_STATEMENT, ...statements] });
const billing = { AWS: `arn:aws:iam::${ACCOUNT}:user/billing` };
const Plaintext = new TextEncoder().encode('policy over the wire');

let server: AwsTestServer;
let admin: KMSClient;
let roleless: KMSClient;

beforeAll(async () => {
  server = await startAwsServer();
  admin = server.client(await server.accessKey(['admin']));
  roleless = server.client(await server.accessKey([], 'billing'));
});
afterAll(() => server.close());

async function keyWith(...statements: object[]): Promise<string> {
  const { KeyMetadata } = await admin.send(new CreateKeyCommand({ Policy: policy(...statements) }));
  return KeyMetadata!.KeyId!;
}

describe('key policies on the AWS protocol', () => {
  it('PutKeyPolicy with a Deny, then Encrypt → AccessDeniedException; the policy reads back; ListKeyPolicies', async () => {
    const { KeyMetadata } = await admin.send(new CreateKeyCommand({}));
    const KeyId = KeyMetadata!.KeyId!;
    await admin.send(new EncryptCommand({ KeyId, Plaintext }));
    const denyEncrypt = policy({ Effect: 'Deny', Principal: '*', Action: 'kms:Encrypt', Resource: '*' });
    await admin.send(new PutKeyPolicyCommand({ KeyId, PolicyName: 'default', Policy: denyEncrypt }));
    const error = await expectAws(admin.send(new EncryptCommand({ KeyId, Plaintext })), 'AccessDeniedException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect((await admin.send(new ListKeyPoliciesCommand({ KeyId }))).PolicyNames).toEqual(['default']);
  });

  it('an access key with no role encrypts where the key policy allows it, and may do nothing else', async () => {
    const KeyId = await keyWith({ Effect: 'Allow', Principal: billing, Action: 'kms:Encrypt', Resource: '*' });
    const { CiphertextBlob } = await roleless.send(new EncryptCommand({ KeyId, Plaintext }));
    expect(CiphertextBlob?.length).toBeGreaterThan(0);
    await expectAws(roleless.send(new DescribeKeyCommand({ KeyId })), 'AccessDeniedException');
    await expectAws(roleless.send(new CreateKeyCommand({})), 'AccessDeniedException');
  });

  it('aws:SourceIp is the client address (127.0.0.1 here) on the AWS protocol and the native API', async () => {
    const fromHere = await keyWith({
      Effect: 'Allow',
      Principal: billing,
      Action: 'kms:Encrypt',
      Resource: '*',
      Condition: { IpAddress: { 'aws:SourceIp': ['127.0.0.0/8', '::1/128'] } },
    });
    const fromElsewhere = await keyWith({
      Effect: 'Allow',
      Principal: billing,
      Action: 'kms:Encrypt',
      Resource: '*',
      Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
    });
    await roleless.send(new EncryptCommand({ KeyId: fromHere, Plaintext }));
    await expectAws(roleless.send(new EncryptCommand({ KeyId: fromElsewhere, Plaintext })), 'AccessDeniedException');
    const { token } = await server.admin.createToken({ principal: 'billing' });
    const native = new RemoteKms({ endpoint: server.url, token });
    await native.encrypt({ keyId: fromHere, plaintext: Plaintext });
    await expectKmsError(native.encrypt({ keyId: fromElsewhere, plaintext: Plaintext }), 'ACCESS_DENIED');
  });

  it('aws:PrincipalTag/<key> reads the tags an access key or token was created with', async () => {
    const KeyId = await keyWith({
      Effect: 'Allow',
      Principal: '*',
      Action: 'kms:Encrypt',
      Resource: '*',
      Condition: { StringEquals: { 'aws:PrincipalTag/team': 'billing' } },
    });
    const tagged = await server.admin.createAccessKey({ principal: 'tagged', tags: { team: 'billing' } });
    expect(tagged.tags).toEqual({ team: 'billing' });
    await server.client(tagged).send(new EncryptCommand({ KeyId, Plaintext }));
    await expectAws(roleless.send(new EncryptCommand({ KeyId, Plaintext })), 'AccessDeniedException');
    const { token } = await server.admin.createToken({ principal: 'tagged-token', tags: { team: 'billing' } });
    await new RemoteKms({ endpoint: server.url, token }).encrypt({ keyId: KeyId, plaintext: Plaintext });
  });

  it('the lockout check and malformed documents answer MalformedPolicyDocumentException; the bypass flag works', async () => {
    const lockout = JSON.stringify({
      Version: '2012-10-17',
      Statement: { Effect: 'Allow', Principal: billing, Action: 'kms:*', Resource: '*' },
    });
    await expectAws(admin.send(new CreateKeyCommand({ Policy: lockout })), 'MalformedPolicyDocumentException');
    const { KeyMetadata } = await admin.send(
      new CreateKeyCommand({ Policy: lockout, BypassPolicyLockoutSafetyCheck: true }),
    );
    await expectAws(
      admin.send(new PutKeyPolicyCommand({ KeyId: KeyMetadata!.KeyId!, Policy: policy() })),
      'AccessDeniedException',
    );
    const unknownKey = policy({
      Effect: 'Deny',
      Principal: '*',
      Action: 'kms:Encrypt',
      Resource: '*',
      Condition: { StringEquals: { 'kms:Nope': 'x' } },
    });
    await expectAws(admin.send(new CreateKeyCommand({ Policy: unknownKey })), 'MalformedPolicyDocumentException');
  });
});
