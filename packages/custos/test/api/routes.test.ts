// The /v1 routes: every ROUTES entry is served, inputs are built from path, query and body in wire form (base64
// bytes, ISO dates), and results come back in wire form with 201 for creations and 200 otherwise.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, pathParams, type OperationMethod, type Route } from '@custos/contract';
import { b64, bearer, expectError, openTestApp, type TestApp } from './helpers.js';

describe('REST routes', () => {
  let t: TestApp;
  let keyId: string;
  let sweepKey: string;
  beforeAll(async () => {
    t = await openTestApp();
    keyId = (await t.kms.createKey({ description: 'routes' })).keyMetadata.keyId;
    sweepKey = (await t.kms.createKey({ description: 'every route' })).keyMetadata.keyId;
  });
  afterAll(async () => t.cleanup());

  const post = (url: string, body: unknown, token = t.admin) =>
    t.app.inject({ method: 'POST', url, headers: bearer(token), payload: body as object });
  const get = (url: string, token = t.admin) => t.app.inject({ method: 'GET', url, headers: bearer(token) });

  it.each(Object.entries(ROUTES) as [OperationMethod, Route][])(
    '%s is served (never route-not-found, never 5xx)',
    async (_method, route) => {
      let url = route.path;
      for (const name of pathParams(route))
        url = url.replace(`:${name}`, encodeURIComponent(name === 'keyId' ? sweepKey : 'alias/none'));
      const res = await t.app.inject({
        method: route.method,
        url,
        headers: bearer(t.admin),
        ...(route.method === 'POST' || route.method === 'PUT' ? { payload: {} } : {}),
      });
      expect(res.statusCode, res.body).toBeLessThan(500);
      if (res.statusCode === 404) expect(res.json().error.message).not.toBe('no such route');
    },
  );

  it('createKey answers 201 with metadata in wire form; describeKey returns the same dates as ISO strings', async () => {
    const created = await post('/v1/keys', { description: 'wire', tags: [{ tagKey: 'team', tagValue: 'a' }] });
    expect(created.statusCode).toBe(201);
    const meta = created.json().keyMetadata;
    expect(meta.creationDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const described = await get(`/v1/keys/${meta.keyId}`);
    expect(described.statusCode).toBe(200);
    expect(described.json().keyMetadata).toEqual(meta);
    const direct = await t.kms.describeKey({ keyId: meta.keyId });
    expect(new Date(meta.creationDate).getTime()).toBe(direct.keyMetadata.creationDate.getTime());
  });

  it('encrypt and decrypt round-trip base64 bytes and an encryption context', async () => {
    const plaintext = new Uint8Array([0, 1, 2, 250, 251, 255, 10, 13]);
    const enc = await post(`/v1/keys/${keyId}/encrypt`, {
      plaintext: b64(plaintext),
      encryptionContext: { tenant: 'acme' },
    });
    expect(enc.statusCode, enc.body).toBe(200);
    const { ciphertextBlob, keyId: arn, encryptionAlgorithm } = enc.json();
    expect(encryptionAlgorithm).toBe('SYMMETRIC_DEFAULT');
    expect(arn).toMatch(/^arn:aws:kms:/);
    const dec = await post('/v1/decrypt', { ciphertextBlob, encryptionContext: { tenant: 'acme' } });
    expect(dec.statusCode, dec.body).toBe(200);
    expect(new Uint8Array(Buffer.from(dec.json().plaintext, 'base64'))).toEqual(plaintext);
    // The in-process LocalKms decrypts what came over HTTP: the wire form is the same ciphertext.
    const local = await t.kms.decrypt({
      ciphertextBlob: new Uint8Array(Buffer.from(ciphertextBlob, 'base64')),
      encryptionContext: { tenant: 'acme' },
    });
    expect(local.plaintext).toEqual(plaintext);
    expectError(
      await post('/v1/decrypt', { ciphertextBlob, encryptionContext: { tenant: 'evil' } }),
      400,
      'INVALID_CIPHERTEXT',
    );
  });

  it('accepts key ARNs and aliases with slashes, URL-encoded, in the path', async () => {
    const arn = (await t.kms.describeKey({ keyId })).keyMetadata.arn;
    expect((await get(`/v1/keys/${encodeURIComponent(arn)}`)).json().keyMetadata.keyId).toBe(keyId);
    const created = await post('/v1/aliases', { aliasName: 'alias/team/app-1', targetKeyId: keyId });
    expect(created.statusCode, created.body).toBe(201);
    expect((await get(`/v1/keys/${encodeURIComponent('alias/team/app-1')}`)).json().keyMetadata.keyId).toBe(keyId);
    const updated = await t.app.inject({
      method: 'DELETE',
      url: `/v1/aliases/${encodeURIComponent('alias/team/app-1')}`,
      headers: bearer(t.admin),
    });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.json()).toEqual({});
    expectError(await get(`/v1/keys/${encodeURIComponent('alias/team/app-1')}`), 404, 'ALIAS_NOT_FOUND');
  });

  it('coerces query strings to the schema (numbers, arrays) and rejects what does not fit', async () => {
    for (let i = 0; i < 3; i++) await t.kms.createKey({});
    const page = await get('/v1/keys?limit=2');
    expect(page.statusCode).toBe(200);
    expect(page.json().keys).toHaveLength(2);
    expect(page.json().truncated).toBe(true);
    const next = await get(`/v1/keys?limit=2&marker=${encodeURIComponent(page.json().nextMarker)}`);
    expect(next.statusCode).toBe(200);
    expectError(await get('/v1/keys?limit=abc'), 400, 'VALIDATION_ERROR');
    expectError(await get('/v1/keys?limit=0'), 400, 'VALIDATION_ERROR');
    expectError(await get('/v1/keys?limit=1&limit=2'), 400, 'VALIDATION_ERROR');
    expectError(await get('/v1/keys?unknown=1'), 400, 'VALIDATION_ERROR');
    expectError(await get('/v1/keys?marker=not-a-marker'), 400, 'INVALID_MARKER');
    // A single value for an array field is an array of one: the service then refuses a grant token it did not issue.
    expectError(await get(`/v1/keys/${keyId}?grantTokens=abc`), 400, 'INVALID_GRANT_TOKEN');
  });

  it('a body field that contradicts the path is refused; one that repeats it is accepted', async () => {
    const other = (await t.kms.createKey({})).keyMetadata.keyId;
    expectError(
      await post(`/v1/keys/${keyId}/encrypt`, { keyId: other, plaintext: b64('x') }),
      400,
      'VALIDATION_ERROR',
    );
    expect((await post(`/v1/keys/${keyId}/encrypt`, { keyId, plaintext: b64('x') })).statusCode).toBe(200);
  });

  it('a POST whose fields are all in the path takes an empty body, no body, or {}', async () => {
    const id = (await t.kms.createKey({})).keyMetadata.keyId;
    const disable = await t.app.inject({ method: 'POST', url: `/v1/keys/${id}/disable`, headers: bearer(t.admin) });
    expect(disable.statusCode, disable.body).toBe(200);
    const enable = await t.app.inject({
      method: 'POST',
      url: `/v1/keys/${id}/enable`,
      headers: { ...bearer(t.admin), 'content-type': 'application/json' },
      payload: '',
    });
    expect(enable.statusCode, enable.body).toBe(200);
    expect((await post(`/v1/keys/${id}/disable`, {})).statusCode).toBe(200);
  });

  it('generateRandom, sign and verify carry bytes both ways', async () => {
    const random = await post('/v1/random', { numberOfBytes: 32 });
    expect(Buffer.from(random.json().plaintext, 'base64')).toHaveLength(32);
    const signKey = (await t.kms.createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' })).keyMetadata.keyId;
    const message = b64('signed over HTTP');
    const signed = await post(`/v1/keys/${signKey}/sign`, { message, signingAlgorithm: 'ECDSA_SHA_256' });
    expect(signed.statusCode, signed.body).toBe(200);
    const verified = await post(`/v1/keys/${signKey}/verify`, {
      message,
      signature: signed.json().signature,
      signingAlgorithm: 'ECDSA_SHA_256',
    });
    expect(verified.json().signatureValid).toBe(true);
    const pub = await get(`/v1/keys/${signKey}/public-key`);
    expect(pub.statusCode).toBe(200);
    expect(typeof pub.json().publicKey).toBe('string');
  });

  it('tokens: create (201, token shown once), list (never the token), revoke (the token stops working at once)', async () => {
    const expiresAt = new Date(t.clock.now().getTime() + 3_600_000).toISOString();
    const created = await post('/v1/tokens', { roles: ['key-user'], description: 'ci', expiresAt });
    expect(created.statusCode, created.body).toBe(201);
    const { tokenId, token, principal, roles } = created.json();
    expect(token).toMatch(/^cst_[A-Za-z0-9_-]{43}$/);
    expect(principal).toBe(`token:${tokenId}`);
    expect(roles).toEqual(['key-user']);
    expect(created.json().expiresAt).toBe(expiresAt);
    expect((await get('/v1/keys', token)).statusCode).toBe(200);

    const listed = await get('/v1/tokens?limit=100');
    expect(listed.statusCode).toBe(200);
    expect(listed.body).not.toContain(token);
    const entry = listed.json().tokens.find((x: { tokenId: string }) => x.tokenId === tokenId);
    expect(entry).toMatchObject({ tokenId, principal, roles: ['key-user'], description: 'ci', expiresAt });
    expect(entry.lastUsedAt).toMatch(/Z$/);

    const revoked = await t.app.inject({ method: 'DELETE', url: `/v1/tokens/${tokenId}`, headers: bearer(t.admin) });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expectError(await get('/v1/keys', token), 401, 'UNAUTHENTICATED');
    const after = (await get('/v1/tokens')).json().tokens.find((x: { tokenId: string }) => x.tokenId === tokenId);
    expect(after.revokedAt).toMatch(/Z$/);
    expectError(
      await t.app.inject({ method: 'DELETE', url: '/v1/tokens/nope', headers: bearer(t.admin) }),
      404,
      'NOT_FOUND',
    );
    expectError(await post('/v1/tokens', { roles: ['admin', 'admin'] }), 400, 'VALIDATION_ERROR');
    expectError(await post('/v1/tokens', { roles: ['root'] }), 400, 'VALIDATION_ERROR');
    expectError(
      await post('/v1/tokens', { roles: ['admin'], expiresAt: '2001-01-01T00:00:00Z' }),
      400,
      'VALIDATION_ERROR',
    );
    expectError(await post('/v1/tokens', { roles: ['admin'], expiresAt: 'yesterday' }), 400, 'VALIDATION_ERROR');
  });

  it('createToken takes a principal, and the audit log names it for the calls made with the token', async () => {
    const { token } = (await post('/v1/tokens', { roles: ['key-user'], principal: 'svc-billing' })).json();
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/keys',
      headers: { ...bearer(token), 'x-request-id': 'trace-billing-1' },
    });
    expect(res.statusCode).toBe(200);
    const { records } = await t.kms.listAuditRecords({ limit: 1000 });
    expect(records.find((r) => r.requestId === 'trace-billing-1')).toMatchObject({
      principal: 'svc-billing',
      operation: 'ListKeys',
      outcome: 'allowed',
    });
  });

  it('health checks answer without credentials', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ status: 'ok' });
  });
});
