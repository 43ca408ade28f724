// Root-key rotation in-process (file and passphrase roots): every wrapped column is re-wrapped under a new root key
// while calls keep running, the derived keys do not change (tokens, row MACs, audit chain), and the old root is gone.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';
import { sqliteDriver } from '../../src/store/sqlite-driver.js';
import { LOCAL_ADMIN } from '../../src/service/local-kms.js';
import { openTestKms, utf8, type TestKms } from './helpers.js';

const KEY_USER = { principal: 'app', roles: ['key-user' as const] };

async function rootKcvs(dir: string): Promise<(string | null)[]> {
  const db = new (sqliteDriver())(join(dir, 'custos.db'), { readonly: true });
  try {
    return (db.prepare('select root_kcv from key_versions').all() as { root_kcv: string | null }[]).map(
      (r) => r.root_kcv,
    );
  } finally {
    db.close();
  }
}

async function auditDetails(dir: string): Promise<unknown[]> {
  const db = new (sqliteDriver())(join(dir, 'custos.db'), { readonly: true });
  try {
    return db.prepare(`select details from audit_log where operation = 'RotateRoot'`).all();
  } finally {
    db.close();
  }
}

describe.each([
  ['file', {}],
  ['passphrase', { passphrase: 'correct horse battery staple' }],
])('rotating a %s root', (_name, extra) => {
  let t: TestKms | undefined;
  afterEach(async () => {
    await t?.cleanup().catch(() => undefined);
    t = undefined;
  });

  it('re-wraps every key under a new root while calls run; old ciphertexts, tokens, access keys and the audit chain still work', async () => {
    t = await openTestKms(extra);
    const kms = t.kms;
    const keys = [];
    for (let i = 0; i < 12; i++) keys.push((await kms.createKey({ description: `k${i}` })).keyMetadata.keyId);
    await kms.rotateKeyOnDemand({ keyId: keys[0]! });
    const ciphertexts = await Promise.all(keys.map((keyId) => kms.encrypt({ keyId, plaintext: utf8(keyId) })));
    const { token } = await kms.createToken({ roles: ['key-user'] });
    const access = await kms.createAccessKey({ roles: ['key-user'] });
    const before = await readFile(join(t.dir, 'root.key'), 'utf8');
    const { fingerprint } = await kms.getAuditPublicKey({});

    // Calls in a loop during the rotation: none fails.
    let stop = false;
    let calls = 0;
    const loop = (async () => {
      while (!stop) {
        const keyId = keys[calls % keys.length]!;
        const { ciphertextBlob } = await kms.encrypt({ keyId, plaintext: utf8('during') });
        expect((await kms.decrypt({ ciphertextBlob })).plaintext).toEqual(utf8('during'));
        calls++;
      }
    })();
    const done = await kms.rotateRoot(LOCAL_ADMIN);
    // A key created right after the rotation (wrapped under the new root).
    const late = (await kms.createKey({})).keyMetadata.keyId;
    stop = true;
    await loop;
    expect(calls).toBeGreaterThan(0);
    expect(done).toMatchObject({ state: 'done', operation: 'RotateRoot', running: false, error: null });
    expect(done.done).toBeGreaterThanOrEqual(13);

    // A new root file; the old one is gone (no .next, no .retired).
    expect(await readFile(join(t.dir, 'root.key'), 'utf8')).not.toBe(before);
    expect((await readdir(t.dir)).filter((f) => f.startsWith('root.key'))).toEqual(['root.key']);
    expect(new Set(await rootKcvs(t.dir))).toEqual(new Set([done.newKeyCheckValue, null])); // null: the late key

    // Everything works after a restart on the new root alone.
    const after = await t.reopen();
    for (const [i, keyId] of keys.entries()) {
      expect((await after.decrypt({ ciphertextBlob: ciphertexts[i]!.ciphertextBlob })).plaintext).toEqual(utf8(keyId));
    }
    await after.encrypt({ keyId: late, plaintext: utf8('x') });
    expect(await after.authenticate(token)).toMatchObject({ roles: ['key-user'] });
    expect((await after.authenticateAccessKey(access.accessKeyId)).caller.roles).toEqual(['key-user']);
    expect((await after.verifyAuditChain({})).ok).toBe(true);
    // The checkpoint signing key verifiers pinned is the same (derived keys are carried forward).
    expect((await after.getAuditPublicKey({})).fingerprint).toBe(fingerprint);
    // Audited at the start and at the finish, with check values and kinds, never key material.
    const records = (await after.listAuditRecords({ limit: 1000 })).records.filter((r) => r.operation === 'RotateRoot');
    expect(records.map((r) => r.outcome)).toEqual(['allowed', 'allowed']);
    const rootFile = JSON.parse(await readFile(join(t.dir, 'root.key'), 'utf8')) as Record<string, string>;
    const text = JSON.stringify(await auditDetails(t.dir));
    expect(text).toContain('phase\\":\\"finish');
    for (const secret of [rootFile.key, rootFile.ciphertext, access.secretAccessKey, token])
      if (secret !== undefined) expect(text).not.toContain(secret);
  });

  it('rotates twice (the derived keys are carried forward again), and a tampered row is still refused', async () => {
    t = await openTestKms(extra);
    const { keyId } = (await t.kms.createKey({})).keyMetadata;
    const { ciphertextBlob } = await t.kms.encrypt({ keyId, plaintext: utf8('secret') });
    const first = await t.kms.rotateRoot(LOCAL_ADMIN);
    const second = await t.kms.rotateRoot(LOCAL_ADMIN);
    expect(second.newKeyCheckValue).not.toBe(first.newKeyCheckValue);
    const kms = await t.reopen();
    expect((await kms.decrypt({ ciphertextBlob })).plaintext).toEqual(utf8('secret'));
    expect((await kms.verifyAuditChain({})).ok).toBe(true);
    await kms.close();
    const db = new (sqliteDriver())(join(t.dir, 'custos.db'));
    try {
      db.prepare(`update keys set description = 'edited' where id = ?`).run(keyId);
    } finally {
      db.close();
    }
    const reopened = await t.reopen();
    await expectKmsError(reopened.describeKey({ keyId }), 'INTERNAL');
  });

  it('a row that does not unwrap stops the rotation (INTERNAL) with nothing destroyed; fixed, a re-run finishes', async () => {
    t = await openTestKms(extra);
    const good = (await t.kms.createKey({})).keyMetadata.keyId;
    const bad = (await t.kms.createKey({})).keyMetadata.keyId;
    const { ciphertextBlob } = await t.kms.encrypt({ keyId: good, plaintext: utf8('kept') });
    const edit = (fn: (db: InstanceType<ReturnType<typeof sqliteDriver>>) => void): void => {
      const db = new (sqliteDriver())(join(t!.dir, 'custos.db'));
      try {
        fn(db);
      } finally {
        db.close();
      }
    };
    let original: Buffer | undefined;
    edit((db) => {
      const row = db.prepare('select wrapped_material from key_versions where key_id = ?').get(bad) as {
        wrapped_material: Buffer;
      };
      original = Buffer.from(row.wrapped_material);
      const broken = Buffer.from(original);
      broken[broken.length - 1]! ^= 1;
      db.prepare('update key_versions set wrapped_material = ? where key_id = ?').run(broken, bad);
    });
    await expectKmsError(t.kms.rotateRoot(LOCAL_ADMIN), 'INTERNAL');
    const status = await t.kms.rootRotationStatus(LOCAL_ADMIN);
    expect(status).toMatchObject({ state: 'rewrapping', running: false, error: { code: 'INTERNAL' } });
    expect((await readdir(t.dir)).filter((f) => f.startsWith('root.key')).sort()).toEqual([
      'root.key',
      'root.key.next',
    ]);
    expect((await t.kms.decrypt({ ciphertextBlob })).plaintext).toEqual(utf8('kept'));
    edit((db) => db.prepare('update key_versions set wrapped_material = ? where key_id = ?').run(original, bad));
    const kms = await t.reopen(); // both roots held across a restart
    expect((await kms.decrypt({ ciphertextBlob })).plaintext).toEqual(utf8('kept'));
    expect(await kms.rotateRoot(LOCAL_ADMIN)).toMatchObject({ state: 'done', error: null });
    await kms.encrypt({ keyId: bad, plaintext: utf8('usable again') });
  });

  it('is for administrators only', async () => {
    t = await openTestKms(extra);
    await expectKmsError(t.kms.rotateRoot(KEY_USER), 'ACCESS_DENIED');
    expect((await t.kms.rootRotationStatus(LOCAL_ADMIN)).state).toBe('idle');
  });
});
