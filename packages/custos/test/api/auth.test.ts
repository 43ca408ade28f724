// Authentication and authorisation over HTTP: bearer tokens (missing, malformed, unknown, revoked, expired),
// roles reaching the service (403 from there), metrics for the monitor and admin roles, public health checks and docs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { b64, bearer, expectError, openTestApp, type TestApp } from './helpers.js';

describe('authentication', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp();
  });
  afterAll(async () => t.cleanup());

  const listKeys = (headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url: '/v1/keys', headers });

  it('a request without a token gets 401 UNAUTHENTICATED with WWW-Authenticate: Bearer', async () => {
    const res = await listKeys();
    expectError(res, 401, 'UNAUTHENTICATED');
    expect(res.headers['www-authenticate']).toBe('Bearer');
  });

  it.each([
    ['another scheme', `Basic ${b64('admin:admin')}`],
    ['an empty bearer', 'Bearer '],
    ['a malformed token', 'Bearer not-a-token'],
    ['a token of the wrong length', 'Bearer cst_abc'],
    ['an unknown well-formed token', `Bearer cst_${'A'.repeat(43)}`],
    ['two tokens', `Bearer cst_${'A'.repeat(43)} cst_${'B'.repeat(43)}`],
  ])('%s gets 401 UNAUTHENTICATED, with one message whatever the cause', async (_name, authorization) => {
    const body = expectError(await listKeys({ authorization }), 401, 'UNAUTHENTICATED');
    expect(body.error.message).toBe('missing or invalid credentials');
  });

  it('the scheme is case-insensitive', async () => {
    expect((await listKeys({ authorization: `bearer ${t.admin}` })).statusCode).toBe(200);
  });

  it('a revoked token stops working at once, even though lookups are cached', async () => {
    const { token, tokenId } = await t.kms.createToken({ roles: ['key-user'] });
    expect((await listKeys(bearer(token))).statusCode).toBe(200); // now cached
    await t.kms.revokeToken({ tokenId });
    expectError(await listKeys(bearer(token)), 401, 'UNAUTHENTICATED');
  });

  it('an expired token is refused (clock from the kms option `now`), even when cached', async () => {
    const expiresAt = new Date(t.clock.now().getTime() + 60_000);
    const { token } = await t.kms.createToken({ roles: ['admin'], expiresAt });
    expect((await listKeys(bearer(token))).statusCode).toBe(200);
    t.clock.advanceMs(60_000);
    expectError(await listKeys(bearer(token)), 401, 'UNAUTHENTICATED');
    expect((await listKeys(bearer(t.admin))).statusCode).toBe(200);
  });

  it('health checks, the OpenAPI document and the docs need no token; everything else does', async () => {
    for (const url of ['/healthz', '/readyz', '/v1/openapi.json', '/docs', '/docs/']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBeLessThan(400);
    }
    for (const [method, url] of [
      ['GET', '/metrics'],
      ['POST', '/v1/keys'],
      ['GET', '/v1/tokens'],
      ['POST', '/v1/decrypt'],
      ['DELETE', '/v1/tokens/x'],
    ] as const) {
      expectError(await t.app.inject({ method, url }), 401, 'UNAUTHENTICATED');
    }
  });
});

describe('authorisation by role (decided by the service)', () => {
  let t: TestApp;
  let keyId: string;
  let user: string;
  let keyAdmin: string;
  beforeAll(async () => {
    t = await openTestApp();
    keyId = (await t.kms.createKey({})).keyMetadata.keyId;
    user = await t.token('key-user');
    keyAdmin = await t.token('key-admin');
  });
  afterAll(async () => t.cleanup());

  const post = (url: string, token: string, payload: object = {}) =>
    t.app.inject({ method: 'POST', url, headers: bearer(token), payload });

  it('a key user cannot create keys (403 ACCESS_DENIED) but can encrypt', async () => {
    expectError(await post('/v1/keys', user), 403, 'ACCESS_DENIED');
    expect((await post(`/v1/keys/${keyId}/encrypt`, user, { plaintext: b64('hi') })).statusCode).toBe(200);
  });

  it('a key admin can create keys but cannot encrypt', async () => {
    expect((await post('/v1/keys', keyAdmin)).statusCode).toBe(201);
    expectError(await post(`/v1/keys/${keyId}/encrypt`, keyAdmin, { plaintext: b64('hi') }), 403, 'ACCESS_DENIED');
  });

  it('only admins manage tokens: a key admin cannot mint itself an admin token', async () => {
    expectError(await post('/v1/tokens', keyAdmin, { roles: ['admin'] }), 403, 'ACCESS_DENIED');
    expectError(await t.app.inject({ method: 'GET', url: '/v1/tokens', headers: bearer(user) }), 403, 'ACCESS_DENIED');
  });

  it('the audit log records the denied call under the token principal', async () => {
    const { token } = await t.kms.createToken({ roles: ['key-user'], principal: 'svc-denied' });
    await t.app.inject({
      method: 'POST',
      url: '/v1/keys',
      headers: { ...bearer(token), 'x-request-id': 'denied-1' },
      payload: {},
    });
    const { records } = await t.kms.listAuditRecords({ limit: 1000 });
    expect(records.find((r) => r.requestId === 'denied-1')).toMatchObject({
      principal: 'svc-denied',
      operation: 'CreateKey',
      outcome: 'denied',
    });
  });

  const scrape = (token: string, requestId: string) =>
    t.app.inject({ method: 'GET', url: '/metrics', headers: { ...bearer(token), 'x-request-id': requestId } });

  it('/metrics needs the monitor or admin role, and each scrape is audited as ReadMetrics', async () => {
    const { token: monitor } = await t.kms.createToken({ roles: ['monitor'], principal: 'prometheus' });
    expectError(await scrape(user, 'scrape-user'), 403, 'ACCESS_DENIED');
    expectError(await scrape(keyAdmin, 'scrape-key-admin'), 403, 'ACCESS_DENIED');
    const ok = await scrape(monitor, 'scrape-monitor');
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('custos_keys{state="Enabled"}');
    expect((await scrape(t.admin, 'scrape-admin')).statusCode).toBe(200);

    const { records } = await t.kms.listAuditRecords({ limit: 1000 });
    const byRequest = (id: string) => records.find((r) => r.requestId === id);
    expect(byRequest('scrape-monitor')).toMatchObject({
      principal: 'prometheus',
      operation: 'ReadMetrics',
      outcome: 'allowed',
      keyId: null,
    });
    expect(byRequest('scrape-user')).toMatchObject({
      operation: 'ReadMetrics',
      outcome: 'denied',
      errorCode: 'ACCESS_DENIED',
    });
    expect(byRequest('scrape-admin')).toMatchObject({ operation: 'ReadMetrics', outcome: 'allowed' });
  });

  it('a monitor token reads metrics and nothing else: no keys, no cryptography, no audit log, no tokens', async () => {
    const monitor = await t.token('monitor');
    const get = (url: string) => t.app.inject({ method: 'GET', url, headers: bearer(monitor) });
    expectError(await get('/v1/keys'), 403, 'ACCESS_DENIED');
    expectError(await get(`/v1/keys/${keyId}`), 403, 'ACCESS_DENIED');
    expectError(await post(`/v1/keys/${keyId}/encrypt`, monitor, { plaintext: b64('hi') }), 403, 'ACCESS_DENIED');
    expectError(await post('/v1/keys', monitor), 403, 'ACCESS_DENIED');
    expectError(await get('/v1/audit'), 403, 'ACCESS_DENIED');
    expectError(await get('/v1/tokens'), 403, 'ACCESS_DENIED');
    expectError(await post('/v1/random', monitor, { numberOfBytes: 8 }), 403, 'ACCESS_DENIED');
  });
});
