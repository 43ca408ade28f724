// POST/GET /v1/sys/rotate-root: admin only (401 without a token, 403 for a key-admin), 202 at once with the
// progress, done in the background while the server serves; a migration in progress is refused with 409.
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { sqliteDriver } from '../../src/store/sqlite-driver.js';
import { bearer, openTestApp, type TestApp } from './helpers.js';

describe('/v1/sys/rotate-root', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.cleanup();
    t = undefined;
  });

  it('is for administrators only', async () => {
    t = await openTestApp();
    expect((await t.app.inject({ method: 'GET', url: '/v1/sys/rotate-root' })).statusCode).toBe(401);
    const keyAdmin = await t.token('key-admin');
    const post = await t.app.inject({
      method: 'POST',
      url: '/v1/sys/rotate-root',
      headers: bearer(keyAdmin),
      payload: {},
    });
    expect(post.statusCode).toBe(403);
    expect(post.json()).toMatchObject({ error: { code: 'ACCESS_DENIED' } });
    const get = await t.app.inject({ method: 'GET', url: '/v1/sys/rotate-root', headers: bearer(keyAdmin) });
    expect(get.statusCode).toBe(403);
  });

  it('answers 202 at once, and GET follows it to done', async () => {
    t = await openTestApp();
    const before = await t.app.inject({ method: 'GET', url: '/v1/sys/rotate-root', headers: bearer(t.admin) });
    expect(before.json()).toMatchObject({ state: 'idle', running: false, total: 0, done: 0, newKeyCheckValue: null });
    await t.kms.createKey({});
    const post = await t.app.inject({
      method: 'POST',
      url: '/v1/sys/rotate-root',
      headers: bearer(t.admin),
      payload: {},
    });
    expect(post.statusCode).toBe(202);
    expect(post.json()).toMatchObject({ running: true });
    for (let i = 0; i < 200; i++) {
      const p = (await t.app.inject({ method: 'GET', url: '/v1/sys/rotate-root', headers: bearer(t.admin) })).json<{
        state: string;
        running: boolean;
        done: number;
      }>();
      if (!p.running) {
        expect(p).toMatchObject({ state: 'done', done: 1, error: null });
        return;
      }
      await sleep(20);
    }
    throw new Error('the rotation did not finish');
  });

  it('refuses a rotation while a migration is in progress (409 ALREADY_EXISTS)', async () => {
    t = await openTestApp();
    const db = new (sqliteDriver())(join(t.dir, 'custos.db'));
    try {
      const record = {
        operation: 'MigrateRoot',
        state: 'rewrapping',
        from: { kind: 'file', keyCheckValue: 'a' },
        to: { kind: 'pkcs11', keyCheckValue: 'b' },
        startedAt: new Date().toISOString(),
      };
      db.prepare(`insert into meta (key, value) values ('root_rotation', ?)`).run(JSON.stringify(record));
    } finally {
      db.close();
    }
    const post = await t.app.inject({
      method: 'POST',
      url: '/v1/sys/rotate-root',
      headers: bearer(t.admin),
      payload: {},
    });
    expect(post.statusCode).toBe(409);
    expect(post.json()).toMatchObject({ error: { code: 'ALREADY_EXISTS' } });
  });
});
