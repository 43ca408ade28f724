// Error replies of the AWS endpoint for failures an AWS SDK never provokes on purpose: an internal error inside an
// operation (500 KMSInternalException, no detail), and bodies the server refuses before any operation runs (wrong
// content type, over the body limit, not JSON). Every reply is AWS-shaped: `{ __type, message }` and x-amzn-ErrorType.
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnavailableError } from '@custos/contract';
import { buildApp } from '../../src/api/app.js';
import { LocalKms } from '../../src/service/local-kms.js';
import {
  sendAwsRequest,
  signAwsRequest,
  signedFetch,
  startAwsServer,
  type AwsCredentials,
  type AwsTestServer,
} from './helpers.js';

/** Status, x-amzn-ErrorType and body of an AWS error reply; fails unless the body is exactly `{ __type, message }`. */
async function awsError(res: Response): Promise<{
  status: number;
  errorType: string | null;
  requestId: string | null;
  body: { __type: string; message: string };
}> {
  const body = (await res.json()) as { __type: string; message: string };
  expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.1');
  expect(body).toEqual({ __type: expect.any(String), message: expect.any(String) });
  return {
    status: res.status,
    errorType: res.headers.get('x-amzn-errortype'),
    requestId: res.headers.get('x-amzn-requestid'),
    body,
  };
}

describe('internal errors', () => {
  it('an unexpected failure inside an operation is 500 KMSInternalException "internal error" with the request id, and no details', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'custos-aws-'));
    const kms = await LocalKms.open({ dataDir: dir, maintenanceIntervalMs: 0, logger: { error: () => undefined } });
    const credentials: AwsCredentials = await kms.createAccessKey({ roles: ['admin'] });
    kms.describeKey = async () => {
      throw new TypeError('secret detail: /var/lib/custos/root.key');
    };
    kms.listAliases = async () => {
      throw new UnavailableError('the key store is unavailable; retry later (request r-1)');
    };
    const app = buildApp(kms);
    try {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      const res = await signedFetch(url, credentials, 'TrentService.DescribeKey', { KeyId: 'alias/any' });
      const failed = await awsError(res);
      expect(failed.status).toBe(500);
      expect(failed.errorType).toBe('KMSInternalException');
      expect(failed.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(failed.body).toEqual({
        __type: 'KMSInternalException',
        message: `internal error (request ${failed.requestId})`,
      });
      // UNAVAILABLE is a fault too (500 DependencyTimeoutException), but its message says to retry and names nothing inside.
      const unavailable = await awsError(await signedFetch(url, credentials, 'TrentService.ListAliases', {}));
      expect(unavailable.status).toBe(500);
      expect(unavailable.body).toEqual({
        __type: 'DependencyTimeoutException',
        message: 'the key store is unavailable; retry later (request r-1)',
      });
      // A closed service (its KmsError says why): the message is replaced too.
      await kms.close();
      const closed = await awsError(await signedFetch(url, credentials, 'TrentService.ListKeys', {}));
      expect(closed.status).toBe(500);
      expect(closed.body).toEqual({
        __type: 'KMSInternalException',
        message: `internal error (request ${closed.requestId})`,
      });
    } finally {
      await app.close();
      await kms.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('bodies refused before any operation runs', () => {
  let server: AwsTestServer;
  let credentials: AwsCredentials;
  beforeAll(async () => {
    server = await startAwsServer({ bodyLimitBytes: 64 * 1024 });
    credentials = await server.accessKey(['admin']);
  });
  afterAll(async () => server?.close());

  it('a content type other than application/x-amz-json-1.1 (or 1.0) is 400 SerializationException', async () => {
    for (const contentType of ['application/json', 'text/plain', 'application/x-www-form-urlencoded']) {
      const res = await signedFetch(
        server.url,
        credentials,
        'TrentService.GenerateRandom',
        { NumberOfBytes: 4 },
        { contentType },
      );
      const refused = await awsError(res);
      expect(refused.status, contentType).toBe(400);
      expect(refused.errorType, contentType).toBe('SerializationException');
      expect(refused.body.__type, contentType).toBe('SerializationException');
    }
  });

  it('a request with no Content-Type and no body (no body to parse) is still checked: signature first, then the type', async () => {
    const signed = await signAwsRequest(server.url, credentials, 'TrentService.GenerateRandom', '');
    const { 'content-type': _signedType, ...headers } = signed.headers;
    // Content-Type was signed: without it the signature no longer matches, and that is the answer.
    const refused = await awsError(await sendAwsRequest(server.url, { headers, body: '' }));
    expect(refused.status).toBe(400);
    expect(refused.errorType).toBe('InvalidSignatureException');
    // Signed over the headers it has (none but host, x-amz-*): the signature holds, and the type is refused.
    const unsigned = await signAwsRequest(server.url, credentials, 'TrentService.GenerateRandom', '', {
      unsigned: ['content-type'],
    });
    const { 'content-type': _type, ...rest } = unsigned.headers;
    const typeRefused = await awsError(await sendAwsRequest(server.url, { headers: rest, body: '' }));
    expect(typeRefused.errorType).toBe('SerializationException');
  });

  it('a body over the limit is 400 ValidationException, as AWS answers every client error', async () => {
    const body = { Plaintext: Buffer.alloc(60 * 1024).toString('base64'), KeyId: 'alias/any' };
    const refused = await awsError(await signedFetch(server.url, credentials, 'TrentService.Encrypt', body));
    expect(refused.status).toBe(400);
    expect(refused.errorType).toBe('ValidationException');
    expect(refused.body.__type).toBe('ValidationException');
  });

  it('a body that is not JSON is 400 SerializationException, and the message does not echo it', async () => {
    const secret = 'the-plaintext-must-not-echo';
    const refused = await awsError(
      await signedFetch(server.url, credentials, 'TrentService.DescribeKey', `{"KeyId": "${secret}`),
    );
    expect(refused.status).toBe(400);
    expect(refused.errorType).toBe('SerializationException');
    expect(refused.body.__type).toBe('SerializationException');
    expect(refused.body.message).not.toContain(secret);
  });
});
