// A real Custos server on port 0 with a temporary data directory, an admin RemoteKms (bearer token), AWS SDK
// clients signed with access keys issued by it, and raw SigV4-signed requests for what an SDK never sends.
import { mkdtemp, rm } from 'node:fs/promises';
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
  const { hostname, port, protocol, host } = new URL(url);
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  const signer = new SignatureV4({
    credentials,
    region: 'us-east-1',
    service: 'kms',
    sha256: Hash.bind(null, 'sha256'),
  });
  const request = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol,
      hostname,
      port: Number(port),
      path: '/',
      headers: { host, 'content-type': options.contentType ?? 'application/x-amz-json-1.1', 'x-amz-target': target },
      body: payload,
    }),
  );
  return fetch(url + '/', { method: 'POST', headers: request.headers, body: payload });
}
