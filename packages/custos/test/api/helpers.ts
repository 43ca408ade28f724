// Shared set-up for API tests: a LocalKms on a temporary directory with a settable clock, the app built on it
// (app.inject(), no listen), and tokens per role.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { ErrorCode, Role } from '@custos/contract';
import { buildApp, type AppOptions } from '../../src/api/app.js';
import { LocalKms, type LocalKmsOptions } from '../../src/service/local-kms.js';
import { TestClock } from '../service/helpers.js';

export interface TestApp {
  readonly app: FastifyInstance;
  readonly kms: LocalKms;
  readonly dir: string;
  readonly clock: TestClock;
  /** An admin token. */
  readonly admin: string;
  /** A new token with these roles. */
  token(...roles: Role[]): Promise<string>;
  cleanup(): Promise<void>;
}

export async function openTestApp(
  options: AppOptions = {},
  kmsOptions: Partial<LocalKmsOptions> = {},
): Promise<TestApp> {
  const dir = await mkdtemp(join(tmpdir(), 'custos-api-'));
  const clock = new TestClock();
  const kms = await LocalKms.open({
    dataDir: dir,
    now: clock.now,
    maintenanceIntervalMs: 0,
    logger: { error: () => undefined },
    ...kmsOptions,
  });
  const app = buildApp(kms, options);
  await app.ready();
  const token = async (...roles: Role[]): Promise<string> => (await kms.createToken({ roles })).token;
  const admin = await token('admin');
  return {
    app,
    kms,
    dir,
    clock,
    admin,
    token,
    async cleanup() {
      await app.close();
      await kms.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

export interface ErrorReply {
  error: { code: ErrorCode; message: string; requestId: string };
}

/** Asserts `res` is an error reply in our shape with this status and code; returns the body. */
export function expectError(res: LightMyRequestResponse, status: number, code: ErrorCode): ErrorReply {
  expect(res.headers['content-type'], res.body).toMatch(/^application\/json/);
  const body = res.json<ErrorReply>();
  expect({ status: res.statusCode, code: body.error?.code }, res.body).toEqual({ status, code });
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'requestId']);
  expect(typeof body.error.message).toBe('string');
  expect(body.error.requestId).toBe(res.headers['x-request-id']);
  return body;
}

export const b64 = (bytes: Uint8Array | string): string => Buffer.from(bytes).toString('base64');
