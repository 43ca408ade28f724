// Root rotation under a PKCS#11 root (SoftHSM2): a new non-extractable key under the same label, the old token object
// destroyed; and migration file → pkcs11 → file, each side's old root gone after. Skipped loudly without softhsm2.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';
import { LocalKms, LOCAL_ADMIN, type LocalKmsOptions } from '../../src/service/local-kms.js';
import { sqliteDriver } from '../../src/store/sqlite-driver.js';
import { describeSoftHsm, makeToken, type TestToken } from '../helpers/softhsm.js';
import { utf8 } from './helpers.js';

const PIN = '5521-rotation-pin';

/** How many secret keys the token holds under the root key label (pkcs11-tool, outside our code). */
function rootObjects(token: TestToken): number {
  const out = execFileSync(
    'pkcs11-tool',
    [
      '--module',
      token.module,
      '--token-label',
      token.label,
      '--login',
      '--pin',
      token.pin,
      '--list-objects',
      '--type',
      'secrkey',
    ],
    { env: { ...process.env, SOFTHSM2_CONF: token.conf }, encoding: 'utf8' },
  );
  return out.split('\n').filter((l) => /label:\s+custos-root-key$/.test(l.trim())).length;
}

describeSoftHsm('root rotation on a PKCS#11 root')('root rotation and migration with a PKCS#11 root', () => {
  let rotateToken: TestToken;
  let migrateToken: TestToken;
  beforeAll(() => {
    rotateToken = makeToken(PIN);
    migrateToken = makeToken(PIN);
  });
  let dir: string | undefined;
  let kms: LocalKms | undefined;
  afterEach(async () => {
    await kms?.close();
    kms = undefined;
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  const pkcs11 = (t: TestToken) => ({ kind: 'pkcs11' as const, module: t.module, tokenLabel: t.label, pin: t.pin });
  const open = async (more: Partial<LocalKmsOptions>): Promise<LocalKms> => {
    dir ??= await mkdtemp(join(tmpdir(), 'custos-rotate-p11-'));
    return LocalKms.open({ dataDir: dir, maintenanceIntervalMs: 0, logger: { error: () => undefined }, ...more });
  };

  it('rotates while calls run: a new token key, the old object destroyed, everything still works', async () => {
    kms = await open({ rootOfTrust: pkcs11(rotateToken) });
    const keys = [];
    for (let i = 0; i < 6; i++) keys.push((await kms.createKey({})).keyMetadata.keyId);
    const blobs = await Promise.all(keys.map((keyId) => kms!.encrypt({ keyId, plaintext: utf8(keyId) })));
    const { token } = await kms.createToken({ roles: ['key-user'] });
    expect(rootObjects(rotateToken)).toBe(1);
    let stop = false;
    let calls = 0;
    const running = kms;
    const loop = (async () => {
      while (!stop) {
        const { ciphertextBlob } = await running.encrypt({ keyId: keys[calls % keys.length]!, plaintext: utf8('x') });
        await running.decrypt({ ciphertextBlob });
        calls++;
      }
    })();
    const done = await kms.rotateRoot(LOCAL_ADMIN);
    stop = true;
    await loop;
    expect(calls).toBeGreaterThan(0);
    expect(done).toMatchObject({ state: 'done', error: null });
    expect(rootObjects(rotateToken)).toBe(1); // the new one; the old one is destroyed
    await kms.close();
    kms = await open({ rootOfTrust: pkcs11(rotateToken) });
    for (const [i, keyId] of keys.entries())
      expect((await kms.decrypt({ ciphertextBlob: blobs[i]!.ciphertextBlob })).plaintext).toEqual(utf8(keyId));
    expect((await kms.authenticate(token)).roles).toEqual(['key-user']);
    expect((await kms.verifyAuditChain({})).ok).toBe(true);
  });

  it('migrates file → pkcs11 → file; each old root is gone, and a same-kind migration is refused', async () => {
    kms = await open({});
    const { keyId } = (await kms.createKey({})).keyMetadata;
    const { ciphertextBlob } = await kms.encrypt({ keyId, plaintext: utf8('moved') });
    await expectKmsError(kms.migrateRoot({ kind: 'file' }, LOCAL_ADMIN), 'VALIDATION_ERROR');

    const toHsm = await kms.migrateRoot(pkcs11(migrateToken), LOCAL_ADMIN);
    expect(toHsm).toMatchObject({ state: 'done', operation: 'MigrateRoot' });
    expect((await readdir(dir!)).filter((f) => f.startsWith('root.key'))).toEqual([]);
    expect(rootObjects(migrateToken)).toBe(1);
    await kms.close();
    kms = undefined;
    // The old flags no longer open it (the file root is gone); the new ones do.
    await expect(open({})).rejects.toThrow();
    kms = await open({ rootOfTrust: pkcs11(migrateToken) });
    expect((await kms.decrypt({ ciphertextBlob })).plaintext).toEqual(utf8('moved'));

    // An HSM-protected key in the root's token would be stranded by moving away: refused until it is destroyed.
    const hsmKey = (await kms.createKey({ protectionLevel: 'HSM' })).keyMetadata.keyId;
    const stranded = await expectKmsError(
      kms.migrateRoot({ kind: 'file', passphrase: 'back to a file' }, LOCAL_ADMIN),
      'INVALID_KEY_STATE',
    );
    expect(stranded.message).toMatch(/HSM-protected keys/);
    await kms.scheduleKeyDeletion({ keyId: hsmKey, pendingWindowInDays: 7 });
    await expectKmsError(
      kms.migrateRoot({ kind: 'file', passphrase: 'back to a file' }, LOCAL_ADMIN),
      'INVALID_KEY_STATE',
    );
    await kms.close();
    kms = await open({ rootOfTrust: pkcs11(migrateToken), now: () => new Date(Date.now() + 8 * 24 * 3600 * 1000) });
    await kms.runMaintenance(); // destroys the key's token object
    await kms.close();
    kms = await open({ rootOfTrust: pkcs11(migrateToken) });
    const toFile = await kms.migrateRoot({ kind: 'file', passphrase: 'back to a file' }, LOCAL_ADMIN);
    expect(toFile).toMatchObject({ state: 'done', operation: 'MigrateRoot' });
    expect(rootObjects(migrateToken)).toBe(0);
    await kms.close();
    kms = await open({ passphrase: 'back to a file' });
    expect((await kms.decrypt({ ciphertextBlob })).plaintext).toEqual(utf8('moved'));
    expect((await kms.verifyAuditChain({})).ok).toBe(true);
    // Audited at start and finish of each migration; neither the PIN nor the passphrase is in a record.
    const db = new (sqliteDriver())(join(dir!, 'custos.db'), { readonly: true });
    try {
      const rows = db.prepare(`select * from audit_log where operation = 'MigrateRoot'`).all();
      expect(rows).toHaveLength(4);
      const text = JSON.stringify(rows);
      expect(text).not.toContain(PIN);
      expect(text).not.toContain('back to a file');
    } finally {
      db.close();
    }
  });
});
