// The OpenAPI document (every route, wire-form schemas, bearer security, the error schema), the browsable docs,
// Prometheus metrics, and the per-token rate limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS, ROUTES, type OperationMethod, type Route } from '@custos/contract';
import { b64, bearer, expectError, openTestApp, type TestApp } from './helpers.js';

describe('OpenAPI and docs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp();
  });
  afterAll(async () => t.cleanup());

  it('/v1/openapi.json is an OpenAPI 3.1 document with every route', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = JSON.parse(res.body);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.bearerAuth).toEqual(
      expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    );
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.components.schemas.Error.properties.error.properties.code.enum).toContain('UNAUTHENTICATED');
    for (const [method, route] of Object.entries(ROUTES) as [OperationMethod, Route][]) {
      const path = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
      const op = doc.paths[path]?.[route.method.toLowerCase()];
      expect(op, `${route.method} ${path}`).toBeDefined();
      expect(op.operationId).toBe(method);
      expect(op.summary).toBe(OPERATIONS[method].name);
      for (const name of path.match(/\{([A-Za-z]+)\}/g) ?? []) {
        expect(op.parameters.some((p: { in: string; name: string }) => p.in === 'path' && `{${p.name}}` === name)).toBe(
          true,
        );
      }
      const success = op.responses['200'] ?? op.responses['201'];
      expect(success.content['application/json'].schema).toBeDefined();
      expect(op.responses['401'].content['application/json'].schema.$ref).toBe('#/components/schemas/Error');
    }
  });

  it('schemas are in wire form: bytes are base64 strings, dates date-time strings', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/v1/openapi.json' })).json();
    const encrypt = doc.paths['/v1/keys/{keyId}/encrypt'].post;
    const body = encrypt.requestBody.content['application/json'].schema;
    expect(body.properties.plaintext).toMatchObject({ type: 'string', contentEncoding: 'base64' });
    expect(body.properties.keyId).toBeUndefined(); // in the path
    expect(body.required).toEqual(['plaintext']);
    const describe = doc.paths['/v1/keys/{keyId}'].get.responses['200'].content['application/json'].schema;
    expect(describe.properties.keyMetadata.properties.creationDate).toMatchObject({
      type: 'string',
      format: 'date-time',
    });
    const list = doc.paths['/v1/keys'].get;
    expect(list.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual([
      'query:limit',
      'query:marker',
      'query:applicationId',
      'query:referenceId',
      'query:keyStates',
      'query:keySpecs',
      'query:keyUsages',
      'query:withTagKey',
      'query:withTagValue',
      'query:search',
      'query:sortBy',
      'query:sortOrder',
      'query:includeMetadata',
    ]);
    expect(JSON.stringify(doc)).not.toMatch(/"type":"(Uint8Array|Date)"/);
  });

  it('/docs serves the browsable HTML docs', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs' });
    const page =
      res.statusCode === 302 ? await t.app.inject({ method: 'GET', url: String(res.headers.location) }) : res;
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toMatch(/swagger/i);
  });
});

describe('metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp();
  });
  afterAll(async () => t.cleanup());

  it('counts requests by operation and outcome, times them, and gauges keys by state and the key cache', async () => {
    const keyId = (await t.kms.createKey({})).keyMetadata.keyId;
    const disabled = (await t.kms.createKey({})).keyMetadata.keyId;
    await t.kms.disableKey({ keyId: disabled });
    for (let i = 0; i < 2; i++) {
      await t.app.inject({
        method: 'POST',
        url: `/v1/keys/${keyId}/encrypt`,
        headers: bearer(t.admin),
        payload: { plaintext: b64('m') },
      });
    }
    await t.app.inject({
      method: 'GET',
      url: '/v1/keys/00000000-0000-4000-8000-000000000000',
      headers: bearer(t.admin),
    });
    await t.app.inject({ method: 'GET', url: '/v1/keys' });

    const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: bearer(t.admin) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const text = res.body;
    expect(text).toContain('custos_requests_total{operation="Encrypt",outcome="ok"} 2');
    expect(text).toContain('custos_requests_total{operation="DescribeKey",outcome="KEY_NOT_FOUND"} 1');
    expect(text).toContain('custos_requests_total{operation="ListKeys",outcome="UNAUTHENTICATED"} 1');
    expect(text).toContain('custos_request_duration_seconds_count{operation="Encrypt"} 2');
    expect(text).toContain('custos_keys{state="Enabled"} 1');
    expect(text).toContain('custos_keys{state="Disabled"} 1');
    expect(text).toContain('custos_keys{state="Destroyed"} 0');
    // This process's key cache: what it holds now (the change feed may have dropped the keys just changed), and its
    // preload, done at start with nothing to read.
    expect(text).toMatch(/^custos_key_cache_keys [0-2]$/m);
    expect(text).toMatch(/^custos_key_cache_bytes \d+$/m);
    expect(text).toContain('custos_key_cache_preloaded_keys{state="done"} 0');
    expect(text).not.toMatch(/operation="(undefined|)"/);
  });
});

describe('rate limit per token', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp({ rateLimitPerMinute: 3 });
  });
  afterAll(async () => t.cleanup());

  it('beyond the limit a token gets 429 LIMIT_EXCEEDED; other tokens, bad tokens and health checks are not affected', async () => {
    const other = await t.token('key-user');
    const list = (token: string) => t.app.inject({ method: 'GET', url: '/v1/keys', headers: bearer(token) });
    for (let i = 0; i < 5; i++) expectError(await list(`cst_${'Z'.repeat(43)}`), 401, 'UNAUTHENTICATED');
    for (let i = 0; i < 3; i++) expect((await list(t.admin)).statusCode).toBe(200);
    expectError(await list(t.admin), 429, 'LIMIT_EXCEEDED');
    expect((await list(other)).statusCode).toBe(200);
    for (let i = 0; i < 5; i++) expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});
