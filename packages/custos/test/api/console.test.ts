// GET /v1/whoami (any authenticated caller: principal, roles, access, operations, server) and the /console routes:
// public, served with a strict CSP and X-Frame-Options DENY; a clear 503 page when the assets are not built.
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consolePlugin } from '../../src/api/plugins/console.js';
import { bearer, expectError, openTestApp, type TestApp } from './helpers.js';

describe('GET /v1/whoami', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp();
  });
  afterAll(async () => t.cleanup());

  it('tells an admin who it is and that it may do everything', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/whoami', headers: bearer(t.admin) });
    expect(res.statusCode).toBe(200);
    const me = res.json<{
      principal: string;
      roles: string[];
      access: string[];
      operations: string[];
      server: { version: string; node: string };
    }>();
    expect(me.roles).toEqual(['admin']);
    expect(me.access).toEqual(
      expect.arrayContaining(['manage', 'use', 'read', 'audit', 'tokens', 'monitor', 'export']),
    );
    expect(me.operations).toEqual(expect.arrayContaining(['CreateKey', 'DisableKey', 'CreateToken', 'WhoAmI']));
    expect(me.server.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(me.server.node).toContain('/');
  });

  it('shows a key user no management, token or audit operation', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/whoami', headers: bearer(await t.token('key-user')) });
    const me = res.json<{ roles: string[]; access: string[]; operations: string[] }>();
    expect(me.access).toEqual(['read', 'use']);
    expect(me.operations).toEqual(expect.arrayContaining(['Encrypt', 'DescribeKey', 'WhoAmI']));
    for (const op of ['CreateKey', 'DisableKey', 'ScheduleKeyDeletion', 'CreateToken', 'ListAuditRecords']) {
      expect(me.operations).not.toContain(op);
    }
  });

  it('answers a caller with no role (what it may do comes from key policies and grants)', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/whoami', headers: bearer(await t.token()) });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ roles: string[]; operations: string[] }>()).toMatchObject({ roles: [], operations: ['WhoAmI'] });
  });

  it('refuses a wrong token with UNAUTHENTICATED; an answered call is audited', async () => {
    expectError(
      await t.app.inject({ method: 'GET', url: '/v1/whoami', headers: bearer('cst_wrong') }),
      401,
      'UNAUTHENTICATED',
    );
    const { records } = await t.kms.listAuditRecords({ last: 20 });
    expect(records.filter((r) => r.operation === 'WhoAmI' && r.outcome === 'allowed').length).toBeGreaterThanOrEqual(3);
  });
});

describe('/console', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'custos-console-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  async function appWith(root: string) {
    const app = Fastify();
    await app.register(consolePlugin, { root });
    await app.ready();
    return app;
  }

  it('serves the built app with a strict CSP, no framing, and index.html never cached', async () => {
    const root = join(dir, 'built/');
    await mkdir(join(root, 'assets'), { recursive: true });
    await writeFile(join(root, 'index.html'), '<!doctype html><title>Custos console</title>');
    await writeFile(join(root, 'assets', 'index-abc.js'), 'export {};');
    const app = await appWith(root);
    const page = await app.inject({ method: 'GET', url: '/console/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Custos console');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['cache-control']).toBe('no-store');
    const asset = await app.inject({ method: 'GET', url: '/console/assets/index-abc.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await app.inject({ method: 'GET', url: '/console' })).headers.location).toBe('/console/');
    expect((await app.inject({ method: 'GET', url: '/console/nothing.js' })).statusCode).toBe(404);
    await app.close();
  });

  it('answers a clear 503 page when the assets are not built', async () => {
    const app = await appWith(join(dir, 'absent/'));
    for (const url of ['/console', '/console/', '/console/assets/x.js']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(503);
      expect(res.body).toContain('npm run build');
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
    await app.close();
  });
});
