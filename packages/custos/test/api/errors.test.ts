// Error replies of the REST API: one shape `{ error: { code, message, requestId } }` for every class of failure, the
// status from HTTP_STATUS, 413 for large bodies, 415 for non-JSON bodies, and never a 5xx for anything a client sent.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type Route } from '@custos/contract';
import { buildApp } from '../../src/api/app.js';
import { LocalKms } from '../../src/service/local-kms.js';
import { b64, bearer, expectError, openTestApp, type TestApp } from './helpers.js';

describe('error replies', () => {
  let t: TestApp;
  let keyId: string;
  beforeAll(async () => {
    t = await openTestApp({ bodyLimitBytes: 64 * 1024 });
    keyId = (await t.kms.createKey({})).keyMetadata.keyId;
  });
  afterAll(async () => t.cleanup());

  const raw = (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH',
    url: string,
    payload?: string | Buffer,
    contentType = 'application/json',
  ) =>
    t.app.inject({
      method,
      url,
      headers: { ...bearer(t.admin), ...(payload !== undefined ? { 'content-type': contentType } : {}) },
      ...(payload !== undefined ? { payload } : {}),
    });

  it('each class of service failure has its status and code', async () => {
    const disabled = (await t.kms.createKey({})).keyMetadata.keyId;
    await t.kms.disableKey({ keyId: disabled });
    const hmac = (await t.kms.createKey({ keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC' })).keyMetadata.keyId;
    expectError(
      await raw('POST', `/v1/keys/${keyId}/encrypt`, JSON.stringify({ plaintext: b64(new Uint8Array(4097)) })),
      400,
      'VALIDATION_ERROR',
    );
    expectError(
      await raw('POST', `/v1/keys/${keyId}/encrypt`, JSON.stringify({ plaintext: '***' })),
      400,
      'VALIDATION_ERROR',
    );
    expectError(await raw('GET', '/v1/keys/00000000-0000-4000-8000-000000000000'), 404, 'KEY_NOT_FOUND');
    expectError(
      await raw('POST', `/v1/keys/${disabled}/encrypt`, JSON.stringify({ plaintext: b64('x') })),
      409,
      'KEY_DISABLED',
    );
    expectError(
      await raw(
        'POST',
        `/v1/keys/${keyId}/sign`,
        JSON.stringify({ message: b64('x'), signingAlgorithm: 'ECDSA_SHA_256' }),
      ),
      400,
      'INVALID_KEY_USAGE',
    );
    expectError(
      await raw('POST', '/v1/decrypt', JSON.stringify({ ciphertextBlob: b64(new Uint8Array(80).fill(1)) })),
      400,
      'INVALID_CIPHERTEXT',
    );
    expectError(
      await raw(
        'POST',
        `/v1/keys/${hmac}/verify-mac`,
        JSON.stringify({ message: b64('m'), mac: b64(new Uint8Array(32)), macAlgorithm: 'HMAC_SHA_256' }),
      ),
      400,
      'INVALID_MAC',
    );
    await t.kms.createAlias({ aliasName: 'alias/taken', targetKeyId: keyId });
    expectError(
      await raw('POST', '/v1/aliases', JSON.stringify({ aliasName: 'alias/taken', targetKeyId: keyId })),
      409,
      'ALREADY_EXISTS',
    );
    expectError(
      await raw('POST', '/v1/keys', JSON.stringify({ keySpec: 'SYMMETRIC_DEFAULT', customKeyStoreId: 'x' })),
      400,
      'VALIDATION_ERROR',
    );
  });

  it('a route that does not exist is 404 NOT_FOUND, with or without a token', async () => {
    expectError(await raw('GET', '/v2/keys'), 404, 'NOT_FOUND');
    expectError(await raw('PATCH', '/v1/keys'), 404, 'NOT_FOUND');
    expectError(await t.app.inject({ method: 'GET', url: '/nothing/here' }), 404, 'NOT_FOUND');
  });

  it('a body over the limit is 413 PAYLOAD_TOO_LARGE', async () => {
    const body = JSON.stringify({ plaintext: b64(new Uint8Array(60 * 1024)) });
    expectError(await raw('POST', `/v1/keys/${keyId}/encrypt`, body), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('a body that is not JSON is 415 (another content type) or 400 VALIDATION_ERROR (bad JSON)', async () => {
    expectError(
      await raw('POST', '/v1/keys', 'description=x', 'application/x-www-form-urlencoded'),
      415,
      'VALIDATION_ERROR',
    );
    expectError(await raw('POST', '/v1/keys', '{}', 'text/plain'), 415, 'VALIDATION_ERROR');
    expectError(await raw('POST', '/v1/keys', '<a/>', 'application/xml'), 415, 'VALIDATION_ERROR');
    const secret = 'the-plaintext-must-not-echo';
    const bad = expectError(await raw('POST', '/v1/keys', `{"description": "${secret}`), 400, 'VALIDATION_ERROR');
    expect(bad.error.message).not.toContain(secret);
  });

  it('prototype pollution attempts are refused', async () => {
    expectError(await raw('POST', '/v1/keys', '{"__proto__": {"exportable": true}}'), 400, 'VALIDATION_ERROR');
    expectError(
      await raw('POST', '/v1/keys', '{"constructor": {"prototype": {"exportable": true}}}'),
      400,
      'VALIDATION_ERROR',
    );
    expect(({} as Record<string, unknown>).exportable).toBeUndefined();
  });

  it('a malformed URL is 400 VALIDATION_ERROR', async () => {
    expectError(await raw('GET', '/v1/keys/%E0%A4%A'), 400, 'VALIDATION_ERROR');
    expectError(await raw('GET', '/v1/keys/%'), 400, 'VALIDATION_ERROR');
  });

  const junkBodies: string[] = [
    '',
    ' ',
    'null',
    'true',
    '0',
    '"string"',
    '[]',
    '[{}]',
    '{}',
    '{"keyId": 5}',
    '{"plaintext": 123}',
    '{"plaintext": "%%%"}',
    '{"plaintext": null}',
    '{"ciphertextBlob": ["a"]}',
    '{"encryptionContext": {"a": {"b": 1}}}',
    '{"encryptionContext": "x"}',
    '{"numberOfBytes": 1e309}',
    '{"numberOfBytes": -1}',
    '{"limit": "10"}',
    '{"tags": [{"tagKey": 1}]}',
    '{"expiresAt": "2030-13-45"}',
    '{"roles": ["admin", "admin", "admin", "admin"]}',
    `{"description": "${'x'.repeat(9000)}"}`,
    `${'['.repeat(5000)}${']'.repeat(5000)}`,
    `{"a": ${'{"a": '.repeat(2000)}1${'}'.repeat(2000)}}`,
    '\u0000\u0001\u0002',
    '{"x": "\\ud800"}',
  ];
  const bodyRoutes = Object.values(ROUTES as Record<string, Route>).filter(
    (r) => r.method === 'POST' || r.method === 'PUT',
  );

  it.each(bodyRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s: junk bodies never give a 5xx',
    async (_name, route) => {
      const url = route.path
        .replace(':keyId', keyId)
        .replace(':aliasName', 'alias%2Fjunk')
        .replace(/:[A-Za-z]+/, 'junk');
      for (const body of junkBodies) {
        const res = await raw(route.method, url, body);
        expect(res.statusCode, `${body.slice(0, 40)} → ${res.body}`).toBeLessThan(500);
        if (res.statusCode >= 400) expect(res.json().error.code, body.slice(0, 40)).toMatch(/^[A-Z_]+$/);
      }
    },
  );

  it('junk in query strings and paths never gives a 5xx', async () => {
    const urls = [
      '/v1/keys?limit=1e309',
      '/v1/keys?limit[]=1',
      '/v1/keys?limit=-1',
      '/v1/keys?marker=',
      `/v1/keys?marker=${'A'.repeat(2000)}`,
      '/v1/audit?after=abc',
      '/v1/audit?after=1.5',
      `/v1/keys/${'k'.repeat(5000)}`,
      `/v1/keys/${encodeURIComponent('arn:aws:kms:us-east-1:000000000000:key/not-a-uuid')}`,
      '/v1/keys/%00',
      '/v1/keys/..%2F..%2Fetc',
      '/v1/keys/alias%2Faws%2Fx/public-key',
      '/v1/tokens?limit=abc',
      '/v1/tokens/%20',
    ];
    for (const url of urls) {
      for (const method of ['GET', 'DELETE'] as const) {
        const res = await raw(method, url);
        expect(res.statusCode, `${method} ${url} → ${res.body}`).toBeLessThan(500);
      }
    }
  });

  it('echoes a sane x-request-id and replaces an insane one', async () => {
    const sane = await t.app.inject({
      method: 'GET',
      url: '/v1/keys',
      headers: { ...bearer(t.admin), 'x-request-id': 'trace-123_ab.c:d' },
    });
    expect(sane.headers['x-request-id']).toBe('trace-123_ab.c:d');
    for (const insane of ['has spaces', 'x'.repeat(200), 'new\u00e9line', '<script>']) {
      const res = await t.app.inject({ method: 'GET', url: '/v1/nope', headers: { 'x-request-id': insane } });
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.json().error.requestId).toBe(res.headers['x-request-id']);
    }
  });
});

describe('internal errors', () => {
  it('an unexpected failure is 500 INTERNAL "internal error" with the request id, and no details', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'custos-api-'));
    const kms = await LocalKms.open({ dataDir: dir, maintenanceIntervalMs: 0, logger: { error: () => undefined } });
    const { token } = await kms.createToken({ roles: ['admin'] });
    kms.listKeys = async () => {
      throw new TypeError('secret detail: /var/lib/custos/root.key');
    };
    const app = buildApp(kms);
    try {
      const res = await app.inject({ method: 'GET', url: '/v1/keys', headers: bearer(token) });
      const body = expectError(res, 500, 'INTERNAL');
      expect(body.error.message).toBe('internal error');
      expect(res.body).not.toContain('secret');
      // A closed service: the KmsError's own message is replaced too.
      await kms.close();
      const closed = expectError(
        await app.inject({ method: 'GET', url: '/v1/keys', headers: bearer(token) }),
        500,
        'INTERNAL',
      );
      expect(closed.error.message).toBe('internal error');
      // UNAVAILABLE keeps its message: it says to retry, and names nothing inside.
      const notReady = expectError(await app.inject({ method: 'GET', url: '/readyz' }), 503, 'UNAVAILABLE');
      expect(notReady.error.message).toBe('the store is not answering');
    } finally {
      await app.close();
      await kms.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
