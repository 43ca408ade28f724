// A real Custos server on port 0 with a temporary data directory, an admin RemoteKms (bearer token), and AWS SDK
// clients signed with access keys issued by it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KMS, KMSClient, type KMSClientConfig } from '@aws-sdk/client-kms';
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
  /** A new access key with these roles, issued through the native API. */
  accessKey(roles: Role[], principal?: string): Promise<AwsCredentials>;
  /** An AWS SDK client for the server, signing with `credentials`; no retries unless `config` says so. */
  client(credentials: AwsCredentials, config?: Partial<KMSClientConfig>): KMSClient;
  /** The aggregated client (method per operation), as the AWS Encryption SDK wants it. */
  kms(credentials: AwsCredentials, config?: Partial<KMSClientConfig>): KMS;
  close(): Promise<void>;
}

export async function startAwsServer(options: Partial<ServerOptions> = {}, region = 'us-east-1'): Promise<AwsTestServer> {
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
    async accessKey(roles, principal) {
      const { accessKeyId, secretAccessKey } = await admin.createAccessKey({ roles, ...(principal ? { principal } : {}) });
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
export async function expectAws(promise: Promise<unknown>, name: string): Promise<Error & { $metadata: { httpStatusCode?: number } }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected ${name}`).toBeInstanceOf(Error);
  expect((error as Error).name, (error as Error).message).toBe(name);
  return error as Error & { $metadata: { httpStatusCode?: number } };
}
