// AWS access keys through LocalKms: issued with roles (admins only), listed without secrets, revoked at once,
// authenticated for SigV4 with the secret unwrapped from the root of trust, never stored or audited in plaintext.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sqliteDriver } from '../../src/store/sqlite-driver.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '@custos/contract';
import { exposeSecret } from '../../src/core/secret-bytes.js';
import { openTestKms, type TestKms } from './helpers.js';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';

const SqliteDatabase = sqliteDriver();

const ADMIN: Caller = { principal: 'alice', roles: ['admin'] };
const KEY_ADMIN: Caller = { principal: 'ops', roles: ['key-admin'] };
const KEY_USER: Caller = { principal: 'app', roles: ['key-user'] };

describe('access keys', () => {
  let t: TestKms;
  beforeAll(async () => {
    t = await openTestKms();
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('createAccessKey issues an AWS-shaped id and a 40-character secret, with the roles and a default principal', async () => {
    const created = await t.kms.createAccessKey({ roles: ['key-user'], description: 'ci' }, ADMIN);
    expect(created.accessKeyId).toMatch(/^AKIACUSTOS[A-Z2-7]{10}$/);
    expect(created.secretAccessKey).toMatch(/^[A-Za-z0-9+/]{40}$/);
    expect(created).toMatchObject({ principal: `access-key:${created.accessKeyId}`, roles: ['key-user'] });
    expect(created.createdAt).toEqual(t.clock.now());
    const other = await t.kms.createAccessKey({ roles: ['admin'], principal: 'deploy-bot' }, ADMIN);
    expect(other.accessKeyId).not.toBe(created.accessKeyId);
    expect(other.principal).toBe('deploy-bot');
  });

  it('authenticateAccessKey returns the caller and how to unwrap the secret', async () => {
    const created = await t.kms.createAccessKey({ roles: ['key-admin'], principal: 'svc-a' }, ADMIN);
    const { caller, secretAccessKey } = await t.kms.authenticateAccessKey(created.accessKeyId);
    expect(caller).toEqual({ principal: 'svc-a', roles: ['key-admin'] });
    const secret = await secretAccessKey();
    expect(Buffer.from(exposeSecret(secret)).toString('utf8')).toBe(created.secretAccessKey);
    expect(String(secret)).toBe('[secret]');
  });

  it('authenticateAccessKey answers the same entry while cached; a revoke drops it at once (UNAUTHENTICATED)', async () => {
    const created = await t.kms.createAccessKey({ roles: ['key-user'] }, ADMIN);
    const first = await t.kms.authenticateAccessKey(created.accessKeyId);
    // The SigV4 check keys its signing-key cache to this object: the same object means no new derivation.
    expect(await t.kms.authenticateAccessKey(created.accessKeyId)).toBe(first);
    await t.kms.revokeAccessKey({ accessKeyId: created.accessKeyId }, ADMIN);
    await expectKmsError(t.kms.authenticateAccessKey(created.accessKeyId), 'UNAUTHENTICATED');
  });

  it('authenticateAccessKey refuses unknown, malformed and revoked ids with UNAUTHENTICATED', async () => {
    await expectKmsError(t.kms.authenticateAccessKey('AKIACUSTOSAAAAAAAAAA'), 'UNAUTHENTICATED');
    await expectKmsError(t.kms.authenticateAccessKey('AKIAIOSFODNN7EXAMPLE'), 'UNAUTHENTICATED');
    await expectKmsError(t.kms.authenticateAccessKey("AKIACUSTOS' or 1=1 --"), 'UNAUTHENTICATED');
    const created = await t.kms.createAccessKey({ roles: ['key-user'] }, ADMIN);
    await t.kms.authenticateAccessKey(created.accessKeyId);
    await t.kms.revokeAccessKey({ accessKeyId: created.accessKeyId }, ADMIN);
    await expectKmsError(t.kms.authenticateAccessKey(created.accessKeyId), 'UNAUTHENTICATED');
  });

  it('revokeAccessKey of an unknown id is NOT_FOUND; revoking twice is a no-op', async () => {
    await expectKmsError(t.kms.revokeAccessKey({ accessKeyId: 'AKIACUSTOSAAAAAAAAAA' }, ADMIN), 'NOT_FOUND');
    const created = await t.kms.createAccessKey({ roles: ['key-user'] }, ADMIN);
    await t.kms.revokeAccessKey({ accessKeyId: created.accessKeyId }, ADMIN);
    expect(await t.kms.revokeAccessKey({ accessKeyId: created.accessKeyId }, ADMIN)).toEqual({});
    await expectKmsError(t.kms.revokeAccessKey({ accessKeyId: 'not an id' }, ADMIN), 'VALIDATION_ERROR');
  });

  it('listAccessKeys pages through every key, oldest first, without secrets, with revokedAt and lastUsedAt', async () => {
    const a = await t.kms.createAccessKey({ roles: ['key-user'], description: 'listed' }, ADMIN);
    t.clock.advanceMs(1000);
    const authenticated = await t.kms.authenticateAccessKey(a.accessKeyId);
    expect(
      (await t.kms.listAccessKeys({ limit: 1000 }, ADMIN)).accessKeys.find((k) => k.accessKeyId === a.accessKeyId)!
        .lastUsedAt,
    ).toBeUndefined();
    await authenticated.recordUse();
    await t.kms.revokeAccessKey({ accessKeyId: a.accessKeyId }, ADMIN);
    const all: Awaited<ReturnType<typeof t.kms.listAccessKeys>>['accessKeys'] = [];
    let marker: string | undefined;
    do {
      const page = await t.kms.listAccessKeys({ limit: 2, ...(marker ? { marker } : {}) }, ADMIN);
      expect(page.accessKeys.length).toBeLessThanOrEqual(2);
      expect(page.truncated).toBe(page.nextMarker !== undefined);
      all.push(...page.accessKeys);
      marker = page.nextMarker;
    } while (marker);
    expect(all.length).toBeGreaterThanOrEqual(5);
    expect(all.map((k) => k.createdAt.getTime())).toEqual(
      [...all.map((k) => k.createdAt.getTime())].sort((x, y) => x - y),
    );
    const entry = all.find((k) => k.accessKeyId === a.accessKeyId)!;
    expect(entry).toEqual({
      accessKeyId: a.accessKeyId,
      principal: a.principal,
      roles: ['key-user'],
      description: 'listed',
      createdAt: a.createdAt,
      revokedAt: t.clock.now(),
      lastUsedAt: t.clock.now(),
    });
    expect(JSON.stringify(all)).not.toMatch(/secret/i);
    await expectKmsError(t.kms.listAccessKeys({ marker: 'bm9wZQ' }, ADMIN), 'INVALID_MARKER');
  });

  it('only administrators may create, list or revoke access keys (ACCESS_DENIED otherwise)', async () => {
    const created = await t.kms.createAccessKey({ roles: ['key-user'] }, ADMIN);
    for (const caller of [KEY_ADMIN, KEY_USER]) {
      await expectKmsError(t.kms.createAccessKey({ roles: ['admin'] }, caller), 'ACCESS_DENIED');
      await expectKmsError(t.kms.listAccessKeys({}, caller), 'ACCESS_DENIED');
      await expectKmsError(t.kms.revokeAccessKey({ accessKeyId: created.accessKeyId }, caller), 'ACCESS_DENIED');
    }
    await t.kms.authenticateAccessKey(created.accessKeyId);
  });

  it('refuses bad input with VALIDATION_ERROR: duplicate role, unknown role, unknown field, bad tags', async () => {
    await expectKmsError(t.kms.createAccessKey({ tags: { 'bad key!': 'x' } }, ADMIN), 'VALIDATION_ERROR');
    await expectKmsError(t.kms.createAccessKey({ roles: ['admin', 'admin'] }, ADMIN), 'VALIDATION_ERROR');
    await expectKmsError(t.kms.createAccessKey({ roles: ['root' as never] }, ADMIN), 'VALIDATION_ERROR');
    await expectKmsError(
      t.kms.createAccessKey({ roles: ['admin'], secretAccessKey: 'mine' } as never, ADMIN),
      'VALIDATION_ERROR',
    );
  });

  it('stores the secret wrapped: neither the database file nor the audit log holds it', async () => {
    const created = await t.kms.createAccessKey({ roles: ['admin'] }, ADMIN);
    await t.kms.authenticateAccessKey(created.accessKeyId);
    const records = JSON.stringify((await t.kms.listAuditRecords({ limit: 1000 }, ADMIN)).records);
    const raw = new SqliteDatabase(join(t.dir, 'custos.db'), { readonly: true });
    try {
      const rows =
        JSON.stringify(raw.prepare('select * from access_keys').all()) +
        JSON.stringify(raw.prepare('select * from audit_log').all());
      const secretBytes = Buffer.from(created.secretAccessKey, 'utf8');
      for (const form of [created.secretAccessKey, secretBytes.toString('hex'), secretBytes.toString('base64')]) {
        expect(rows.includes(form)).toBe(false);
        expect(records.includes(form)).toBe(false);
      }
    } finally {
      raw.close();
    }
    for (const file of ['custos.db', 'custos.db-wal']) {
      const bytes = await readFile(join(t.dir, file)).catch(() => Buffer.alloc(0));
      expect(bytes.includes(Buffer.from(created.secretAccessKey))).toBe(false);
    }
  });

  it('a wrapped secret copied to another access key does not unwrap (the id is bound as additional data)', async () => {
    const a = await t.kms.createAccessKey({ roles: ['key-user'] }, ADMIN);
    const b = await t.kms.createAccessKey({ roles: ['admin'] }, ADMIN);
    await t.kms.close();
    const raw = new SqliteDatabase(join(t.dir, 'custos.db'));
    try {
      raw
        .prepare(
          'update access_keys set wrapped_secret = (select wrapped_secret from access_keys where id = ?) where id = ?',
        )
        .run(a.accessKeyId, b.accessKeyId);
    } finally {
      raw.close();
    }
    const kms = await t.reopen();
    // The secret is bound to its key id: moved to another row it does not unwrap (stored data is corrupt: INTERNAL).
    await expectKmsError(kms.authenticateAccessKey(b.accessKeyId), 'INTERNAL');
    expect((await kms.authenticateAccessKey(a.accessKeyId)).caller.roles).toEqual(['key-user']);
  });
});
