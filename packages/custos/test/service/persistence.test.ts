// Persistence through LocalKms: what survives close and reopen, the data directory's files and pragmas, the
// sealed root key, refusing a different root key without writing, no key material at rest, and migrations.
import { createHash, createPrivateKey, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqliteDriver } from '../../src/store/sqlite-driver.js';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord, Kms } from '@custos/contract';
import { LocalKms, wrapForImport } from '../../src/index.js';
import * as auditLog from '../../src/service/audit/audit-log.js';
import { MIGRATIONS, migrateTo, openSqliteStore, type Database } from '../../src/store/index.js';
import { openTestKms, text, utf8, type TestKms } from './helpers.js';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';

const SqliteDatabase = sqliteDriver();

const quiet = { error: () => undefined };

async function allAudit(kms: Kms): Promise<AuditRecord[]> {
  const out: AuditRecord[] = [];
  let after: number | undefined;
  for (;;) {
    const page = await kms.listAuditRecords({ limit: 1000, ...(after !== undefined ? { after } : {}) });
    out.push(...page.records);
    if (page.nextAfter === undefined) return out;
    after = page.nextAfter;
  }
}

async function sha256OrAbsent(path: string): Promise<string> {
  if (!existsSync(path)) return 'absent';
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

/** Every encoding of `secret` that could leak it: raw (and each half), hex, base64 and base64url. */
function needles(label: string, secret: Uint8Array): { label: string; bytes: Buffer }[] {
  const b = Buffer.from(secret);
  const half = Math.floor(b.length / 2);
  const forms: [string, Buffer][] = [
    ['raw', b],
    ['raw first half', b.subarray(0, half)],
    ['raw second half', b.subarray(half)],
    ['hex', Buffer.from(b.toString('hex'))],
    ['HEX', Buffer.from(b.toString('hex').toUpperCase())],
    ['base64', Buffer.from(b.toString('base64').replace(/=+$/, ''))],
    ['base64url', Buffer.from(b.toString('base64url'))],
  ];
  return forms.map(([form, bytes]) => ({ label: `${label} (${form})`, bytes }));
}

function leaks(haystack: Buffer, secrets: { label: string; bytes: Buffer }[]): string[] {
  return secrets.filter((s) => haystack.includes(s.bytes)).map((s) => s.label);
}

describe('persistence: close and reopen', () => {
  let t: TestKms;
  beforeAll(async () => {
    t = await openTestKms();
  });
  afterAll(async () => t.cleanup());

  it('keys, versions, aliases, tags, policies and the audit log survive; old ciphertexts, MACs and signatures verify', async () => {
    const kms = t.kms;
    const aes = (await kms.createKey({ description: 'persisted', tags: [{ tagKey: 'env', tagValue: 'test' }] }))
      .keyMetadata.keyId;
    const v1 = (await kms.encrypt({ keyId: aes, plaintext: utf8('v1 data'), encryptionContext: { a: '1' } }))
      .ciphertextBlob;
    await kms.rotateKeyOnDemand({ keyId: aes });
    const v2 = (await kms.encrypt({ keyId: aes, plaintext: utf8('v2 data') })).ciphertextBlob;
    await kms.createAlias({ aliasName: 'alias/persisted', targetKeyId: aes });
    await kms.putKeyPolicy({
      keyId: aes,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: {
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::000000000000:root' },
          Action: 'kms:*',
          Resource: '*',
        },
      }),
    });
    await kms.enableKeyRotation({ keyId: aes, rotationPeriodInDays: 100 });
    const hmac = (await kms.createKey({ keySpec: 'HMAC_384', keyUsage: 'GENERATE_VERIFY_MAC' })).keyMetadata.keyId;
    const mac = (await kms.generateMac({ keyId: hmac, message: utf8('m'), macAlgorithm: 'HMAC_SHA_384' })).mac;
    const signer = (await kms.createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' })).keyMetadata.keyId;
    const signature = (await kms.sign({ keyId: signer, message: utf8('s'), signingAlgorithm: 'ECDSA_SHA_256' }))
      .signature;
    const publicKey = (await kms.getPublicKey({ keyId: signer })).publicKey;
    const disabled = (await kms.createKey({})).keyMetadata.keyId;
    await kms.disableKey({ keyId: disabled });
    const pending = (await kms.createKey({})).keyMetadata.keyId;
    const schedule = await kms.scheduleKeyDeletion({ keyId: pending, pendingWindowInDays: 9 });
    const metaBefore = (await kms.describeKey({ keyId: aes })).keyMetadata;
    const statusBefore = await kms.getKeyRotationStatus({ keyId: aes });
    const keysBefore = (await kms.listKeys({})).keys;
    const auditBefore = await allAudit(kms);

    const reopened = await t.reopen();
    const auditAfter = await allAudit(reopened);
    expect(auditAfter.slice(0, auditBefore.length)).toEqual(auditBefore);
    expect(auditAfter.length).toBe(auditBefore.length + 1); // the listAuditRecords call before closing
    expect((await reopened.listKeys({})).keys).toEqual(keysBefore);
    expect((await reopened.describeKey({ keyId: 'alias/persisted' })).keyMetadata).toEqual(metaBefore);
    expect(metaBefore.currentKeyVersion).toBe(2);
    expect(await reopened.getKeyRotationStatus({ keyId: aes })).toEqual(statusBefore);
    expect((await reopened.listResourceTags({ keyId: aes })).tags).toEqual([{ tagKey: 'env', tagValue: 'test' }]);
    expect(JSON.parse((await reopened.getKeyPolicy({ keyId: aes })).policy)).toMatchObject({ Version: '2012-10-17' });
    expect(text((await reopened.decrypt({ ciphertextBlob: v1, encryptionContext: { a: '1' } })).plaintext)).toBe(
      'v1 data',
    );
    expect(text((await reopened.decrypt({ ciphertextBlob: v2 })).plaintext)).toBe('v2 data');
    expect(
      (await reopened.verifyMac({ keyId: hmac, message: utf8('m'), mac, macAlgorithm: 'HMAC_SHA_384' })).macValid,
    ).toBe(true);
    expect(
      (await reopened.verify({ keyId: signer, message: utf8('s'), signature, signingAlgorithm: 'ECDSA_SHA_256' }))
        .signatureValid,
    ).toBe(true);
    expect((await reopened.getPublicKey({ keyId: signer })).publicKey).toEqual(publicKey);
    expect((await reopened.describeKey({ keyId: disabled })).keyMetadata.keyState).toBe('Disabled');
    const pendingMeta = (await reopened.describeKey({ keyId: pending })).keyMetadata;
    expect(pendingMeta.keyState).toBe('PendingDeletion');
    expect(pendingMeta.deletionDate).toEqual(schedule.deletionDate);
    expect(await reopened.verifyAuditChain({})).toMatchObject({ ok: true });
    // New work after the reopen lands in the newest version.
    const v3 = (await reopened.encrypt({ keyId: aes, plaintext: utf8('later') })).ciphertextBlob;
    expect(new DataView(v3.buffer, v3.byteOffset).getUint32(17)).toBe(2);
  });

  it('a closed LocalKms refuses calls', async () => {
    const other = await openTestKms();
    await other.kms.close();
    await expectKmsError(other.kms.listKeys({}), 'INTERNAL');
    await other.cleanup();
  });
});

describe('persistence: the data directory', () => {
  const dirs: TestKms[] = [];
  afterEach(async () => {
    for (const t of dirs.splice(0)) await t.cleanup();
  });
  const open = async (...args: Parameters<typeof openTestKms>) => {
    const t = await openTestKms(...args);
    dirs.push(t);
    return t;
  };

  it('holds custos.db and root.key, both owner-only (0600), in an owner-only directory', async () => {
    const t = await open();
    await t.kms.createKey({});
    expect(((await stat(t.dir)).mode & 0o777).toString(8)).toBe('700');
    expect(((await stat(join(t.dir, 'custos.db'))).mode & 0o777).toString(8)).toBe('600');
    expect(((await stat(join(t.dir, 'root.key'))).mode & 0o777).toString(8)).toBe('600');
    for (const extra of ['custos.db-wal', 'custos.db-shm']) {
      const path = join(t.dir, extra);
      if (existsSync(path)) expect(((await stat(path)).mode & 0o077).toString(8), extra).toBe('0');
    }
  });

  it('the database is in WAL mode (persistent, read from the file) and the store opens it with synchronous FULL', async () => {
    const t = await open();
    await t.kms.createKey({});
    await t.kms.close();
    const raw = new SqliteDatabase(join(t.dir, 'custos.db'), { readonly: true, fileMustExist: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      raw.close();
    }
    // synchronous is per connection: check it on a connection made by the store opener LocalKms uses.
    const store = await openSqliteStore(join(t.dir, 'custos.db'));
    try {
      const { rows } = await sql.raw<{ synchronous: number }>('pragma synchronous').execute(store.db);
      expect(rows[0]?.synchronous).toBe(2); // FULL
    } finally {
      await store.close();
    }
  });

  it('every migration is recorded in custos_migrations', async () => {
    const t = await open();
    await t.kms.createKey({});
    await t.kms.close();
    const raw = new SqliteDatabase(join(t.dir, 'custos.db'), { readonly: true });
    try {
      const names = (raw.prepare('select name from custos_migrations order by name').all() as { name: string }[]).map(
        (r) => r.name,
      );
      expect(names).toEqual(MIGRATIONS.map((m) => m.name));
    } finally {
      raw.close();
    }
  });

  it('a database built with only the first migration is migrated by LocalKms.open and works', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'custos-mig-'));
    try {
      const db = new Kysely<unknown>({
        dialect: new SqliteDialect({ database: new SqliteDatabase(join(dir, 'custos.db')) }),
      });
      expect(await migrateTo(db, 'sqlite', MIGRATIONS[0]!.name)).toEqual([MIGRATIONS[0]!.name]);
      await db.destroy();
      const kms = await LocalKms.open({ dataDir: dir, maintenanceIntervalMs: 0, logger: quiet });
      try {
        const { keyId } = (await kms.createKey({})).keyMetadata;
        const { ciphertextBlob } = await kms.encrypt({ keyId, plaintext: utf8('migrated') });
        expect(text((await kms.decrypt({ ciphertextBlob })).plaintext)).toBe('migrated');
        expect((await kms.listAuditRecords({ keyId })).records.length).toBeGreaterThanOrEqual(2);
        expect(await kms.verifyAuditChain({})).toMatchObject({ ok: true });
      } finally {
        await kms.close();
      }
      const raw = new SqliteDatabase(join(dir, 'custos.db'), { readonly: true });
      try {
        const names = (raw.prepare('select name from custos_migrations order by name').all() as { name: string }[]).map(
          (r) => r.name,
        );
        expect(names).toEqual(MIGRATIONS.map((m) => m.name));
        const indexes = (
          raw.prepare("select name from sqlite_master where type = 'index'").all() as { name: string }[]
        ).map((r) => r.name);
        expect(indexes).toContain('audit_log_key_id_idx');
      } finally {
        raw.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rows written under the first migration only (a key, an alias, an audit record) survive the pending migrations and work', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'custos-mig-old-'));
    try {
      const db = new Kysely<Database>({
        dialect: new SqliteDialect({ database: new SqliteDatabase(join(dir, 'custos.db')) }),
      });
      await migrateTo(db, 'sqlite', MIGRATIONS[0]!.name);
      const keyId = '3b0f6a0e-7c1d-4e25-9a8b-5d6c7e8f9a0b';
      const at = new Date('2024-01-02T03:04:05.000Z');
      // What an older Custos wrote: plain rows, no MACs (those come with migration 005 and the first start after it).
      const ms = at.getTime();
      await db.transaction().execute(async (tx) => {
        await sql`insert into keys (id, spec, usage, state, origin, protection_level, description, exportable,
          created_at, updated_at, latest_version, rotation_enabled, use_count)
          values (${keyId}, 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', 'PendingImport', 'EXTERNAL', 'SOFTWARE',
          'written by an older Custos', 0, ${ms}, ${ms}, 0, 0, 0)`.execute(tx);
        await sql`insert into aliases (name, key_id, created_at, updated_at)
          values ('alias/old-schema', ${keyId}, ${ms}, ${ms})`.execute(tx);
        await auditLog.append(
          tx,
          {
            time: at,
            principal: 'old:admin',
            operation: 'CreateKey',
            keyId,
            keyVersion: null,
            outcome: 'allowed',
            errorCode: null,
            requestId: 'old-request',
            details: null,
          },
          null,
        );
      });
      await db.destroy();

      const kms = await LocalKms.open({ dataDir: dir, maintenanceIntervalMs: 0, logger: quiet });
      try {
        const md = (await kms.describeKey({ keyId: 'alias/old-schema' })).keyMetadata;
        expect(md).toMatchObject({
          keyId,
          keyState: 'PendingImport',
          origin: 'EXTERNAL',
          description: 'written by an older Custos',
          creationDate: at,
        });
        const params = await kms.getParametersForImport({
          keyId,
          wrappingAlgorithm: 'RSAES_OAEP_SHA_256',
          wrappingKeySpec: 'RSA_2048',
        });
        await kms.importKeyMaterial({
          keyId,
          importToken: params.importToken,
          encryptedKeyMaterial: wrapForImport('RSAES_OAEP_SHA_256', params.publicKey, randomBytes(32)),
        });
        const { ciphertextBlob } = await kms.encrypt({ keyId: 'alias/old-schema', plaintext: utf8('old schema') });
        expect(text((await kms.decrypt({ ciphertextBlob })).plaintext)).toBe('old schema');
        const records = await allAudit(kms);
        expect(records[0]).toMatchObject({
          seq: 1,
          principal: 'old:admin',
          operation: 'CreateKey',
          keyId,
          requestId: 'old-request',
        });
        expect(await kms.verifyAuditChain({})).toMatchObject({ ok: true });
      } finally {
        await kms.close();
      }
      const raw = new SqliteDatabase(join(dir, 'custos.db'), { readonly: true });
      try {
        const names = (raw.prepare('select name from custos_migrations order by name').all() as { name: string }[]).map(
          (r) => r.name,
        );
        expect(names).toEqual(MIGRATIONS.map((m) => m.name));
      } finally {
        raw.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('persistence: the root key', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  it('a passphrase seals root.key: the file holds no plain key; a wrong or missing passphrase is refused; the right one opens', async () => {
    const t = await openTestKms({ passphrase: 'correct horse battery staple' });
    cleanups.push(() => t.cleanup());
    const { keyId } = (await t.kms.createKey({})).keyMetadata;
    const { ciphertextBlob } = await t.kms.encrypt({ keyId, plaintext: utf8('sealed') });
    const file = JSON.parse(await readFile(join(t.dir, 'root.key'), 'utf8')) as Record<string, unknown>;
    expect(file.sealed).toBe(true);
    expect(file).not.toHaveProperty('key');
    expect(Object.keys(file).sort()).toEqual(['ciphertext', 'format', 'iv', 'kdf', 'sealed', 'tag', 'version']);
    expect((file.kdf as { name: string }).name).toBe('scrypt');
    await t.kms.close();
    const dbBefore = await sha256OrAbsent(join(t.dir, 'custos.db'));

    await expectKmsError(t.reopen({ passphrase: 'wrong horse' }), 'VALIDATION_ERROR');
    await expectKmsError(t.reopen({ passphrase: undefined }), 'VALIDATION_ERROR');
    expect(await sha256OrAbsent(join(t.dir, 'custos.db'))).toBe(dbBefore);

    const kms = await t.reopen({ passphrase: 'correct horse battery staple' });
    expect(text((await kms.decrypt({ ciphertextBlob })).plaintext)).toBe('sealed');
  });

  it('a plain root key opened with a passphrase is refused', async () => {
    const t = await openTestKms();
    cleanups.push(() => t.cleanup());
    await expectKmsError(t.reopen({ passphrase: 'unexpected' }), 'VALIDATION_ERROR');
    const kms = await t.reopen();
    expect((await kms.listKeys({})).keys).toEqual([]);
  });

  it('a data directory opened with a different root key is refused and nothing in it is written', async () => {
    const t = await openTestKms();
    cleanups.push(() => t.cleanup());
    const { keyId } = (await t.kms.createKey({})).keyMetadata;
    const { ciphertextBlob } = await t.kms.encrypt({ keyId, plaintext: utf8('bound') });
    await t.kms.close();
    const files = ['custos.db', 'custos.db-wal'].map((f) => join(t.dir, f));
    const before = await Promise.all(files.map(sha256OrAbsent));
    const other = await mkdtemp(join(tmpdir(), 'custos-other-root-'));
    cleanups.push(() => rm(other, { recursive: true, force: true }));

    // A root key file that does not exist is not made for a store already bound to a root key.
    await expectKmsError(
      LocalKms.open({ dataDir: t.dir, rootKeyFile: join(other, 'root.key'), maintenanceIntervalMs: 0, logger: quiet }),
      'VALIDATION_ERROR',
    );
    expect(existsSync(join(other, 'root.key'))).toBe(false);
    // Another root key that does exist is refused too.
    await (await LocalKms.open({ dataDir: other, maintenanceIntervalMs: 0, logger: quiet })).close();
    await expectKmsError(
      LocalKms.open({ dataDir: t.dir, rootKeyFile: join(other, 'root.key'), maintenanceIntervalMs: 0, logger: quiet }),
      'VALIDATION_ERROR',
    );
    expect(await Promise.all(files.map(sha256OrAbsent))).toEqual(before);

    const kms = await t.reopen();
    expect(text((await kms.decrypt({ ciphertextBlob })).plaintext)).toBe('bound');
  });
});

describe('persistence: no key material at rest', () => {
  let t: TestKms;
  beforeAll(async () => {
    t = await openTestKms();
  });
  afterAll(async () => t.cleanup());

  it('imported, exported-and-known, data-key and root key bytes appear nowhere in custos.db, its WAL, or the audit log', async () => {
    const kms = t.kms;
    // 1. Known AES-256 material, imported.
    const imported = new Uint8Array(randomBytes(32));
    const ext = (await kms.createKey({ keySpec: 'AES_256', origin: 'EXTERNAL' })).keyMetadata.keyId;
    const params = await kms.getParametersForImport({
      keyId: ext,
      wrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256',
      wrappingKeySpec: 'RSA_2048',
    });
    await kms.importKeyMaterial({
      keyId: ext,
      importToken: params.importToken,
      encryptedKeyMaterial: wrapForImport('RSA_AES_KEY_WRAP_SHA_256', params.publicKey, imported),
    });
    const blob = (await kms.encrypt({ keyId: ext, plaintext: utf8('at rest') })).ciphertextBlob;
    expect(text((await kms.decrypt({ ciphertextBlob: blob })).plaintext)).toBe('at rest');
    // 2. A generated exportable HMAC key whose bytes become known by exporting it, then used and rotated.
    const hmac = (await kms.createKey({ keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC', exportable: true }))
      .keyMetadata.keyId;
    const { jwk } = await kms.exportKey({ keyId: hmac, format: 'JWK' });
    const hmacBytes = new Uint8Array(Buffer.from(jwk!.k!, 'base64url'));
    expect(hmacBytes).toHaveLength(32);
    await kms.generateMac({ keyId: hmac, message: utf8('x'), macAlgorithm: 'HMAC_SHA_256' });
    // 3. A data key and a data key pair handed to the caller.
    const dataKey = (await kms.generateDataKey({ keyId: ext, keySpec: 'AES_256' })).plaintext;
    const pair = await kms.generateDataKeyPair({ keyId: ext, keyPairSpec: 'ECC_NIST_P256' });
    const pairJwk = createPrivateKey({
      key: Buffer.from(pair.privateKeyPlaintext),
      format: 'der',
      type: 'pkcs8',
    }).export({ format: 'jwk' });
    const pairScalar = new Uint8Array(Buffer.from(pairJwk.d!, 'base64url'));
    // 4. A derived secret returned to the caller.
    const deriver = (await kms.createKey({ keySpec: 'AES_256', keyUsage: 'DERIVE_KEY' })).keyMetadata.keyId;
    const derived = (
      await kms.deriveKey({ keyId: deriver, derivationAlgorithm: 'HKDF_SHA_256', salt: utf8('s'), numberOfBytes: 32 })
    ).plaintext!;
    // 5. The root key itself (plain root.key file in this data directory).
    const rootFile = JSON.parse(await readFile(join(t.dir, 'root.key'), 'utf8')) as { key: string };
    const root = new Uint8Array(Buffer.from(rootFile.key, 'base64'));
    expect(root).toHaveLength(32);

    const secrets = [
      ...needles('imported AES key', imported),
      ...needles('exported HMAC key', hmacBytes),
      ...needles('data key', dataKey),
      ...needles('data key pair private key (PKCS#8)', pair.privateKeyPlaintext),
      ...needles('data key pair private scalar', pairScalar),
      ...needles('derived secret', derived),
      ...needles('root key', root),
    ];
    const scanFiles = async () => {
      const found: string[] = [];
      for (const name of ['custos.db', 'custos.db-wal']) {
        const path = join(t.dir, name);
        if (!existsSync(path)) continue;
        found.push(...leaks(await readFile(path), secrets).map((l) => `${name}: ${l}`));
      }
      return found;
    };
    // While open (recent writes are still in the WAL) ...
    expect(existsSync(join(t.dir, 'custos.db-wal'))).toBe(true);
    expect(await scanFiles()).toEqual([]);
    // ... in what the audit log reports ...
    expect(leaks(Buffer.from(JSON.stringify(await allAudit(kms))), secrets)).toEqual([]);
    // ... and after close, once the WAL has been checkpointed into the database.
    await kms.close();
    expect(await scanFiles()).toEqual([]);
    const rawDb = new SqliteDatabase(join(t.dir, 'custos.db'), { readonly: true });
    try {
      const dump = JSON.stringify(rawDb.prepare('select * from audit_log').all());
      expect(leaks(Buffer.from(dump), secrets)).toEqual([]);
    } finally {
      rawDb.close();
    }
    await t.reopen();
  });

  it('the scan finds a planted needle (the check can fail)', () => {
    const secret = new Uint8Array(randomBytes(32));
    const hay = Buffer.concat([
      randomBytes(100),
      Buffer.from(Buffer.from(secret).toString('base64url')),
      randomBytes(100),
    ]);
    expect(leaks(hay, needles('s', secret))).toContain('s (base64url)');
    expect(leaks(randomBytes(300), needles('s', secret))).toEqual([]);
  });
});
