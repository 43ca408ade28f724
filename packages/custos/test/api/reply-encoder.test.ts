// /v1 replies are filtered through their response schemas: a field no schema names never leaves the server, even
// when a handler returns one; bytes and dates still travel as base64 and ISO 8601.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS, type Kms } from '@custos/contract';
import { buildApp } from '../../src/api/app.js';
import { replyEncoder } from '../../src/api/routes/v1/reply-encoder.js';
import { LocalKms } from '../../src/service/local-kms.js';
import { bearer } from './helpers.js';

describe('replyEncoder', () => {
  it('keeps the named fields of nested objects and arrays, and drops the others', () => {
    const encode = replyEncoder(OPERATIONS.listKeys.response);
    const reply = encode({ keys: [{ keyId: 'k', keyArn: 'arn', material: 'x' }], truncated: false, debug: 1 });
    expect(reply).toEqual({ keys: [{ keyId: 'k', keyArn: 'arn' }], truncated: false });
  });

  it('turns bytes into base64 and dates into ISO strings, and leaves out undefined fields', () => {
    const encode = replyEncoder(OPERATIONS.getKeyRotationStatus.response);
    const next = new Date('2030-01-02T03:04:05.000Z');
    expect(
      encode({ keyId: 'k', keyRotationEnabled: true, nextRotationDate: next, rotationPeriodInDays: undefined }),
    ).toEqual({
      keyId: 'k',
      keyRotationEnabled: true,
      nextRotationDate: '2030-01-02T03:04:05.000Z',
    });
    expect(replyEncoder(OPERATIONS.generateRandom.response)({ plaintext: new Uint8Array([0, 1, 255]) })).toEqual({
      plaintext: 'AAH/',
    });
  });
});

describe('/v1 replies', () => {
  let dir: string;
  let kms: LocalKms;
  let token: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'custos-api-'));
    kms = await LocalKms.open({ dataDir: dir, maintenanceIntervalMs: 0, logger: { error: () => undefined } });
    token = (await kms.createToken({ roles: ['admin'] })).token;
  });
  afterAll(async () => {
    await kms.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a field the handler returns but no response schema names is not sent', async () => {
    const { keyMetadata } = await kms.createKey({ description: 'filtered' });
    const describeKey: Kms['describeKey'] = kms.describeKey;
    // A handler that says too much: one stray field at the top, one inside keyMetadata.
    kms.describeKey = async (input, caller) => {
      const result = await describeKey(input, caller);
      return { ...result, wrappedMaterial: 'c2VjcmV0', keyMetadata: { ...result.keyMetadata, rootKeyFile: '/x' } };
    };
    const app = buildApp(kms);
    try {
      const res = await app.inject({
        method: 'GET',
        url: `/v1/keys/${keyMetadata.keyId}`,
        headers: bearer(token),
      });
      expect(res.statusCode).toBe(200);
      const body = res.json<{ keyMetadata: Record<string, unknown> }>();
      expect(Object.keys(body)).toEqual(['keyMetadata']);
      expect(body.keyMetadata).not.toHaveProperty('rootKeyFile');
      expect(body.keyMetadata.keyId).toBe(keyMetadata.keyId);
      expect(body.keyMetadata.creationDate).toBe(keyMetadata.creationDate.toISOString());
      expect(res.body).not.toContain('c2VjcmV0');
    } finally {
      await app.close();
    }
  });
});
