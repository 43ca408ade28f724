// A real Custos server on port 0 with a temporary data directory, an admin RemoteKms (bearer token), AWS SDK
// clients signed with access keys issued by it, and raw SigV4-signed requests for what an SDK never sends.
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KMS, KMSClient, type KMSClientConfig } from '@aws-sdk/client-kms';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { expect } from 'vitest';
import { RemoteKms } from '@custos/client';
import type { Role } from '@custos/contract';
import { startServer, type ServerOptions } from '../../src/api/server.js';

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface AwsTestServer {
  readonly url: string;
  /** The native API as the first admin (bearer token). */
  readonly admin: RemoteKms;
  /** That admin's bearer token (for raw requests such as GET /metrics). */
  readonly adminToken: string;
  /** A new access key with these roles, issued through the native API. */
  accessKey(roles: Role[], principal?: string): Promise<AwsCredentials>;
  /** An AWS SDK client for the server, signing with `credentials`; no retries unless `config` says so. */
  client(credentials: AwsCredentials, config?: Partial<KMSClientConfig>): KMSClient;
  /** The aggregated client (method per operation), as the AWS Encryption SDK wants it. */
  kms(credentials: AwsCredentials, config?: Partial<KMSClientConfig>): KMS;
  close(): Promise<void>;
}

export async function startAwsServer(
  options: Partial<ServerOptions> = {},
  region = 'us-east-1',
): Promise<AwsTestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'custos-aws-'));
  const server = await startServer({
    dataDir,
    listen: '127.0.0.1:0',
    logger: false,
    kmsOptions: { maintenanceIntervalMs: 0 },
    ...options,
  });
  const admin = new RemoteKms({ endpoint: server.url, token: server.adminToken! });
  const config = (credentials: AwsCredentials, extra: Partial<KMSClientConfig>): KMSClientConfig => ({
    endpoint: server.url,
    region,
    credentials,
    maxAttempts: 1,
    ...extra,
  });
  return {
    url: server.url,
    admin,
    adminToken: server.adminToken!,
    async accessKey(roles, principal) {
      const { accessKeyId, secretAccessKey } = await admin.createAccessKey({
        roles,
        ...(principal ? { principal } : {}),
      });
      return { accessKeyId, secretAccessKey };
    },
    client: (credentials, extra = {}) => new KMSClient(config(credentials, extra)),
    kms: (credentials, extra = {}) => new KMS(config(credentials, extra)),
    async close() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Awaits `promise` and asserts the AWS SDK raised the exception named `name`; returns it. */
export async function expectAws(
  promise: Promise<unknown>,
  name: string,
): Promise<Error & { $metadata: { httpStatusCode?: number } }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected ${name}`).toBeInstanceOf(Error);
  expect((error as Error).name, (error as Error).message).toBe(name);
  return error as Error & { $metadata: { httpStatusCode?: number } };
}

/** A signed AWS request, as it goes on the wire: send it (again) with `send`, or alter it first. */
export interface SignedAwsRequest {
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface SignOptions {
  /** Default `application/x-amz-json-1.1`. */
  readonly contentType?: string;
  /** Headers sent but left out of the signature (lower-case names), e.g. `['x-amz-target', 'content-type']`. */
  readonly unsigned?: readonly string[];
  /** More headers, signed unless named in `unsigned`. */
  readonly headers?: Record<string, string>;
  /** Default: now. */
  readonly signingDate?: Date;
}

/**
 * `POST /` to the server at `url` with `X-Amz-Target: target`, signed (SigV4, service `kms`) as the AWS SDK signs,
 * but not sent: the bytes a client puts on the wire, for tests that resend or alter them.
 */
export async function signAwsRequest(
  url: string,
  credentials: AwsCredentials,
  target: string,
  body: unknown,
  options: SignOptions = {},
): Promise<SignedAwsRequest> {
  const { hostname, port, protocol, host } = new URL(url);
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  const signer = new SignatureV4({
    credentials,
    region: 'us-east-1',
    service: 'kms',
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: false,
  });
  const request = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol,
      hostname,
      port: Number(port),
      path: '/',
      headers: {
        host,
        'content-type': options.contentType ?? 'application/x-amz-json-1.1',
        'x-amz-target': target,
        ...options.headers,
      },
      body: payload,
    }),
    {
      ...(options.signingDate ? { signingDate: options.signingDate } : {}),
      ...(options.unsigned ? { unsignableHeaders: new Set(options.unsigned) } : {}),
    },
  );
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  return { headers, body: payload };
}

/**
 * Sends a signed request to the server at `url` (`POST /`) exactly as it is, its Host header included (fetch would
 * put `url`'s own): a request signed for one node and sent to another is what a load balancer delivers.
 */
export function sendAwsRequest(url: string, request: SignedAwsRequest): Promise<Response> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: hostname, port: Number(port), method: 'POST', path: '/', headers: request.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (typeof value === 'string') headers.set(name, value);
          }
          resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 0, headers }));
        });
      },
    );
    req.on('error', reject);
    req.end(request.body);
  });
}

/** The AWS error type of a reply (`x-amzn-ErrorType`), or undefined for a success. */
export async function awsErrorType(response: Response): Promise<string | undefined> {
  if (response.ok) return undefined;
  return ((await response.json()) as { __type: string }).__type;
}

/**
 * `POST /` to the server at `url` with `X-Amz-Target: target`, correctly signed (SigV4, service `kms`), so the reply
 * shows what the server makes of the body and headers themselves. `body`: a string as it is, anything else as JSON.
 */
export async function signedFetch(
  url: string,
  credentials: AwsCredentials,
  target: string,
  body: unknown,
  options: { contentType?: string } = {},
): Promise<Response> {
  return sendAwsRequest(url, await signAwsRequest(url, credentials, target, body, options));
}
