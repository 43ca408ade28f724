// Keyrings (MOSIP key hierarchy) through LocalKms on SQLite: the default policies, ROOT → Module → Base generated on
// first use with a certificate chain that openssl verifies, the second level of wrapping (a Base key's row does not
// open with the root key alone), keyring references and filters, and MOSIP hybrid encryption in its three layouts.
import { createPrivateKey, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mosipEncrypt } from '../../../src/core/mosip/hybrid-encrypt.js';
import { parseModuleWrapped } from '../../../src/core/keyrings/module-wrap.js';
import { exposeSecret } from '../../../src/core/secret-bytes.js';
import { openFileRootOfTrust } from '../../../src/keystore/file/index.js';
import { materialAad } from '../../../src/service/key-versions.js';
import { sqliteDriver } from '../../../src/store/sqlite-driver.js';
import { expectKmsError } from '../../../../contract/test/helpers/expect-kms-error.js';
import { openssl, pemFiles } from '../../helpers/x509-outside.js';
import { openTestKms, text, utf8, type TestKms } from '../helpers.js';

const SqliteDatabase = sqliteDriver();
const RING = { applicationId: 'REGISTRATION', referenceId: '10001' };

describe('keyrings: the hierarchy', () => {
  let t: TestKms;
  beforeAll(async () => {
    t = await openTestKms();
  });
  afterAll(async () => t?.cleanup());

  it("seeds all of MOSIP's default policies once", async () => {
    const { policies } = await t.kms.listKeyringPolicies({});
    expect(policies.map((p) => [p.applicationId, p.validityDays, p.preExpireDays])).toEqual([
      ['ADMIN_SERVICES', 1095, 60],
      ['BASE', 730, 30],
      ['COMPLIANCE_TOOLKIT', 1095, 60],
      ['DIGITAL_CARD', 1095, 60],
      ['ID_REPO', 1095, 60],
      ['KERNEL', 1095, 60],
      ['PMS', 1460, 395],
      ['PRE_REGISTRATION', 1095, 60],
      ['REGISTRATION', 1095, 60],
      ['REGISTRATION_PROCESSOR', 1095, 60],
      ['RESIDENT', 1095, 60],
      ['ROOT', 2920, 1125],
    ]);
    expect(policies.every((p) => p.active && p.accessAllowed === 'NA')).toBe(true);
    // A deleted default stays deleted after a restart (the seed runs once).
    await t.kms.deleteKeyringPolicy({ applicationId: 'COMPLIANCE_TOOLKIT' });
    await t.reopen();
    await expectKmsError(t.kms.getKeyringPolicy({ applicationId: 'COMPLIANCE_TOOLKIT' }), 'KEYRING_POLICY_NOT_FOUND');
  });

  it('generates ROOT, Module and Base keys on first use; openssl verifies the chain; CN = appId-refId', async () => {
    const base = await t.kms.getKeyringCertificate(RING);
    const master = await t.kms.getKeyringCertificate({ applicationId: 'REGISTRATION' });
    const root = await t.kms.getKeyringCertificate({ applicationId: 'ROOT', referenceId: '' });
    expect(base.thumbprint).toMatch(/^[0-9A-F]{64}$/);
    expect(base.uniqueIdentifier).toMatch(/^[0-9A-F]{40}$/);
    expect(new Set([base.keyId, master.keyId, root.keyId]).size).toBe(3);
    const files = pemFiles(t.dir, { root: root.certificate, master: master.certificate, base: base.certificate });
    const verified = openssl('verify', '-CAfile', files.root!, '-untrusted', files.master!, files.base!);
    expect(verified.stdout).toContain(': OK');
    expect(openssl('x509', '-noout', '-subject', '-in', files.base!).stdout).toContain('CN = REGISTRATION-10001');
    // The master does not sign with another application's chain: a second application gets its own Module key.
    const other = await t.kms.getKeyringCertificate({ applicationId: 'ID_REPO', referenceId: '10001' });
    const wrong = pemFiles(t.dir, { other: other.certificate });
    expect(openssl('verify', '-CAfile', files.root!, '-untrusted', files.master!, wrong.other!).status).not.toBe(0);
    // The key's chain is the Custos certificate of the key (leaf, Module, ROOT), under its keyring reference too.
    const chain = await t.kms.getKeyCertificate({ keyId: 'keyring/REGISTRATION/10001' });
    expect(chain.certificateChain).toEqual([base.certificate, master.certificate, root.certificate]);
    // A second call finds the same key.
    expect((await t.kms.getKeyringCertificate(RING)).keyId).toBe(base.keyId);
  });

  it('a Base key row does not open with the root key alone: its material is sealed under the Module key', async () => {
    const base = await t.kms.getKeyringCertificate(RING);
    const master = await t.kms.getKeyringCertificate({ applicationId: 'REGISTRATION' });
    const db = new SqliteDatabase(join(t.dir, 'custos.db'), { readonly: true });
    let row: { wrapped_material: Uint8Array; wrapping_key_id: string | null };
    try {
      row = db
        .prepare<[string], typeof row>('select wrapped_material, wrapping_key_id from key_versions where key_id = ?')
        .get(base.keyId)!;
    } finally {
      db.close();
    }
    expect(row.wrapping_key_id).toBe(master.keyId);
    const root = await openFileRootOfTrust({ path: join(t.dir, 'root.key') });
    try {
      const inner = await root.unwrap(row.wrapped_material, materialAad(base.keyId, 1, 'RSA_2048'));
      const bytes = exposeSecret(inner);
      expect(() => createPrivateKey({ key: Buffer.from(bytes), format: 'der', type: 'pkcs8' })).toThrow();
      expect(parseModuleWrapped(bytes).algorithm).toBe('RSAES_OAEP_SHA_256');
    } finally {
      await root.close();
    }
    // Without the Module key's material the Base key is unusable.
    await t.kms.scheduleKeyDeletion({ keyId: master.keyId, pendingWindowInDays: 1 });
    t.clock.advanceDays(2);
    await t.kms.runMaintenance();
    const fresh = await t.reopen(); // an empty key cache
    const { ciphertext } = await fresh.keyringEncrypt({ ...RING, data: utf8('x') });
    await expect(fresh.keyringDecrypt({ ...RING, ciphertext })).rejects.toThrow();
  });
});

describe('keyrings: references, filters and MOSIP bytes', () => {
  let t: TestKms;
  let base: string;
  let master: string;
  beforeAll(async () => {
    t = await openTestKms();
    base = (await t.kms.getKeyringCertificate(RING)).keyId;
    master = (await t.kms.getKeyringCertificate({ applicationId: 'REGISTRATION' })).keyId;
  });
  afterAll(async () => t?.cleanup());

  it('keyring/<APP>/<REF> names the current key and keyring/<APP> the master key, wherever a key id goes', async () => {
    expect((await t.kms.describeKey({ keyId: 'keyring/REGISTRATION/10001' })).keyMetadata.keyId).toBe(base);
    expect((await t.kms.describeKey({ keyId: 'keyring/REGISTRATION' })).keyMetadata.keyId).toBe(master);
    const publicKey = await t.kms.getPublicKey({ keyId: 'keyring/REGISTRATION/10001' });
    expect(publicKey.keyId).toContain(base);
    await expectKmsError(t.kms.describeKey({ keyId: 'keyring/REGISTRATION/none' }), 'KEY_NOT_FOUND');
    await expectKmsError(t.kms.describeKey({ keyId: 'keyring/has space' }), 'VALIDATION_ERROR');
  });

  it('ListKeys and ListJwks filter by application id and reference id', async () => {
    const other = (await t.kms.createKey({})).keyMetadata.keyId;
    const ring = await t.kms.listKeys({ applicationId: 'REGISTRATION', referenceId: '10001' });
    expect(ring.keys.map((k) => k.keyId)).toEqual([base]);
    const app = (await t.kms.listKeys({ applicationId: 'REGISTRATION' })).keys.map((k) => k.keyId);
    expect(app.sort()).toEqual([base, master].sort());
    expect((await t.kms.listKeys({})).keys.map((k) => k.keyId)).toContain(other);
    await expectKmsError(t.kms.listKeys({ referenceId: '10001' }), 'VALIDATION_ERROR');
    const jwks = await t.kms.listJwks({ applicationId: 'REGISTRATION', referenceId: '10001' });
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]!.x5c).toHaveLength(3);
    await expectKmsError(t.kms.listJwks({ referenceId: '10001' }), 'VALIDATION_ERROR');
  });

  it('encrypts and decrypts in each MOSIP layout (VER_R2, aad only, salt), and the no-thumbprint form', async () => {
    const data = randomBytes(100);
    const aad = randomBytes(32);
    const salt = randomBytes(12);
    for (const extra of [{}, { aad }, { salt }, { salt, aad }]) {
      const { ciphertext } = await t.kms.keyringEncrypt({ ...RING, data, ...extra });
      const { plaintext } = await t.kms.keyringDecrypt({ ...RING, ciphertext, ...extra });
      expect(Buffer.from(plaintext).equals(data)).toBe(true);
    }
    const { ciphertext } = await t.kms.keyringEncrypt({ ...RING, data });
    expect(Buffer.from(ciphertext.subarray(0, 6)).toString()).toBe('VER_R2');
    const { certificate } = await t.kms.getKeyringCertificate(RING);
    const bare = mosipEncrypt(certificate, utf8('no thumbprint'), { prependThumbprint: false });
    expect(text((await t.kms.keyringDecrypt({ ...RING, ciphertext: bare })).plaintext)).toBe('no thumbprint');
  });

  it('answers each error with its code', async () => {
    const data = utf8('x');
    await expectKmsError(
      t.kms.keyringEncrypt({ applicationId: 'NOPE', referenceId: '1', data }),
      'KEYRING_POLICY_NOT_FOUND',
    );
    await expectKmsError(t.kms.getKeyringCertificate({ applicationId: 'NOPE' }), 'KEYRING_POLICY_NOT_FOUND');
    await expectKmsError(t.kms.keyringEncrypt({ applicationId: 'REGISTRATION', data }), 'KEYRING_MASTER_KEY_USE');
    await expectKmsError(
      t.kms.keyringEncrypt({ applicationId: 'KERNEL', referenceId: 'SIGN', data }),
      'KEYRING_MASTER_KEY_USE',
    );
    await expectKmsError(
      t.kms.keyringEncrypt({ applicationId: 'KERNEL', referenceId: 'IDENTITY_CACHE', data }),
      'KEYRING_MASTER_KEY_USE',
    );
    const { ciphertext } = await t.kms.keyringEncrypt({ ...RING, data });
    // Another keyring has no key with this thumbprint.
    await t.kms.getKeyringCertificate({ applicationId: 'REGISTRATION', referenceId: '10002' });
    await expectKmsError(
      t.kms.keyringDecrypt({ applicationId: 'REGISTRATION', referenceId: '10002', ciphertext }),
      'KEYRING_KEY_NOT_FOUND',
    );
    const noSplitter = ciphertext.slice(0, 200);
    await expectKmsError(t.kms.keyringDecrypt({ ...RING, ciphertext: noSplitter }), 'INVALID_CIPHERTEXT');
    const splitAt = Buffer.from(ciphertext).indexOf('#KEY_SPLITTER#');
    const truncated = Buffer.concat([ciphertext.subarray(0, splitAt - 10), ciphertext.subarray(splitAt)]);
    await expectKmsError(t.kms.keyringDecrypt({ ...RING, ciphertext: truncated }), 'INVALID_CIPHERTEXT');
    const tampered = Buffer.from(ciphertext);
    tampered[tampered.length - 1]! ^= 1;
    await expectKmsError(t.kms.keyringDecrypt({ ...RING, ciphertext: tampered }), 'INVALID_CIPHERTEXT');
    // Layout (b): the request's aad is authenticated; another one fails.
    const withAad = (await t.kms.keyringEncrypt({ ...RING, data, aad: randomBytes(8) })).ciphertext;
    await expectKmsError(
      t.kms.keyringDecrypt({ ...RING, ciphertext: withAad, aad: randomBytes(8) }),
      'INVALID_CIPHERTEXT',
    );
    await expectKmsError(t.kms.getKeyringCertificate({ applicationId: 'ROOT', referenceId: 'x' }), 'VALIDATION_ERROR');
  });
});
