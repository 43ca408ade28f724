// What a SigV4 signature must cover on the AWS endpoint (issue 12): a request signed over `host;x-amz-date` alone
// let anyone who saw it swap `X-Amz-Target` (a signed DescribeKey became DisableKey). Raw signed requests against a
// real server: the operation, the content type and every x-amz-* header must be signed, or
// IncompleteSignatureException, and nothing runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  awsErrorType,
  sendAwsRequest,
  signAwsRequest,
  startAwsServer,
  type AwsCredentials,
  type AwsTestServer,
} from './helpers.js';

let server: AwsTestServer;
let admin: AwsCredentials;
let keyId: string;

beforeAll(async () => {
  server = await startAwsServer();
  admin = await server.accessKey(['admin'], 'aws-admin');
  keyId = (await server.admin.createKey({ description: 'target of the swap' })).keyMetadata.keyId;
});

afterAll(async () => {
  await server?.close();
});

const keyState = async (): Promise<string> => (await server.admin.describeKey({ keyId })).keyMetadata.keyState;

describe('SigV4 signed headers on the AWS endpoint', () => {
  it('refuses a DescribeKey signed over host;x-amz-date alone whose target is swapped to DisableKey; the key stays enabled', async () => {
    const signed = await signAwsRequest(
      server.url,
      admin,
      'TrentService.DescribeKey',
      { KeyId: keyId },
      {
        unsigned: ['x-amz-target', 'content-type'],
      },
    );
    expect(signed.headers.authorization).toMatch(/SignedHeaders=host;x-amz-date,/);
    const swapped = { ...signed, headers: { ...signed.headers, 'x-amz-target': 'TrentService.DisableKey' } };

    const response = await sendAwsRequest(server.url, swapped);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      __type: 'IncompleteSignatureException',
      message: "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.",
    });
    expect(await keyState()).toBe('Enabled');
  });

  it('refuses an unsigned Content-Type, and any unsigned x-amz-* header, with IncompleteSignatureException', async () => {
    const cases: [string[], Record<string, string>, string][] = [
      [['content-type'], {}, "'Content-Type' must be a 'SignedHeader' in the AWS Authorization."],
      [['x-amz-meta'], { 'x-amz-meta': 'a' }, "'X-Amz-Meta' must be a 'SignedHeader' in the AWS Authorization."],
      [
        ['x-amz-security-token'],
        { 'x-amz-security-token': 't' },
        "'X-Amz-Security-Token' must be a 'SignedHeader' in the AWS Authorization.",
      ],
    ];
    for (const [unsigned, headers, message] of cases) {
      const signed = await signAwsRequest(
        server.url,
        admin,
        'TrentService.DisableKey',
        { KeyId: keyId },
        {
          unsigned,
          headers,
        },
      );
      const response = await sendAwsRequest(server.url, signed);
      expect(await response.json(), unsigned.join()).toEqual({ __type: 'IncompleteSignatureException', message });
    }
    expect(await keyState()).toBe('Enabled');
  });

  it('ignores unsigned headers outside x-amz-* (user-agent, x-amzn-trace-id, x-forwarded-for)', async () => {
    const signed = await signAwsRequest(server.url, admin, 'TrentService.DescribeKey', { KeyId: keyId });
    const headers = {
      ...signed.headers,
      'user-agent': 'changed',
      'x-amzn-trace-id': 'Root=1-00000000-000000000000000000000000',
      'x-forwarded-for': '10.0.0.1',
    };
    const response = await sendAwsRequest(server.url, { ...signed, headers });
    expect(await awsErrorType(response)).toBeUndefined();
  });

  it('runs a request that signs the target, the content type and its x-amz-* headers', async () => {
    const signed = await signAwsRequest(
      server.url,
      admin,
      'TrentService.DisableKey',
      { KeyId: keyId },
      {
        headers: { 'x-amz-meta': 'a' },
      },
    );
    expect(signed.headers.authorization).toMatch(/SignedHeaders=content-type;host;x-amz-date;x-amz-meta;x-amz-target,/);
    expect(await awsErrorType(await sendAwsRequest(server.url, signed))).toBeUndefined();
    expect(await keyState()).toBe('Disabled');
  });
});
