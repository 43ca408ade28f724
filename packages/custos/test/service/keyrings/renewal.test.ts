// Keyring generations over time (MOSIP key renewal): a key is replaced at its next use and by maintenance once now
// passes expiry − preExpireDays (with a moved clock), RevokeKeyringKey expires it at once, GenerateKeyringMasterKey
// with force replaces a Module or ROOT key and re-certifies what hangs below, and every older generation keeps
// decrypting (found by its certificate thumbprint).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectKmsError } from '../../../../contract/test/helpers/expect-kms-error.js';
import { openssl, pemFiles } from '../../helpers/x509-outside.js';
import { openTestKms, text, utf8, type TestKms } from '../helpers.js';

const RING = { applicationId: 'REGISTRATION', referenceId: '10001' };
const MASTER = { applicationId: 'REGISTRATION' };

describe('keyrings: renewal, revoke and force', () => {
  let t: TestKms;
  beforeEach(async () => {
    t = await openTestKms();
  });
  afterEach(async () => t?.cleanup());

  const decrypts = async (ciphertext: Uint8Array, expected: string): Promise<void> => {
    expect(text((await t.kms.keyringDecrypt({ ...RING, ciphertext })).plaintext)).toBe(expected);
  };

  it('a Base key is replaced at its next use once past expiry − preExpireDays (BASE 730/30), not a day before', async () => {
    const first = await t.kms.getKeyringCertificate(RING);
    const old = (await t.kms.keyringEncrypt({ ...RING, data: utf8('first') })).ciphertext;
    t.clock.advanceDays(730 - 30 - 1);
    expect((await t.kms.getKeyringCertificate(RING)).keyId).toBe(first.keyId);
    t.clock.advanceDays(2);
    const { ciphertext } = await t.kms.keyringEncrypt({ ...RING, data: utf8('second') });
    const second = await t.kms.getKeyringCertificate(RING);
    expect(second.keyId).not.toBe(first.keyId);
    expect(second.thumbprint).not.toBe(first.thumbprint);
    await decrypts(old, 'first');
    await decrypts(ciphertext, 'second');
    const all = await t.kms.listKeyringCertificates(RING);
    expect(all.certificates.map((c) => c.keyId)).toEqual([second.keyId, first.keyId]);
  });

  it('maintenance renews a due keyring exactly once, parents first; a second run renews nothing', async () => {
    const before = await t.kms.getKeyringCertificate(RING);
    const masterBefore = await t.kms.getKeyringCertificate(MASTER);
    t.clock.advanceDays(1095 - 60 + 1); // the Module key is due too
    const report = await t.kms.runMaintenance();
    expect(report.renewed).toBeGreaterThanOrEqual(2);
    expect(report.failed).toBe(0);
    expect((await t.kms.runMaintenance()).renewed).toBe(0);
    const after = await t.kms.getKeyringCertificate(RING);
    const masterAfter = await t.kms.getKeyringCertificate(MASTER);
    expect(after.keyId).not.toBe(before.keyId);
    expect(masterAfter.keyId).not.toBe(masterBefore.keyId);
    // The renewed Base key hangs below the renewed Module key.
    const root = await t.kms.getKeyringCertificate({ applicationId: 'ROOT' });
    const files = pemFiles(t.dir, { r: root.certificate, m: masterAfter.certificate, b: after.certificate });
    const at = String(Math.floor(t.clock.now().getTime() / 1000)); // openssl checks validity at the test's clock
    const verified = openssl('verify', '-attime', at, '-CAfile', files.r!, '-untrusted', files.m!, files.b!);
    expect(verified.stdout).toContain(': OK');
    expect((await t.kms.listKeyringCertificates(RING)).certificates).toHaveLength(2);
  });

  it('RevokeKeyringKey expires the current key at once; the next use makes a new one; the old one decrypts', async () => {
    const first = await t.kms.getKeyringCertificate(RING);
    const old = (await t.kms.keyringEncrypt({ ...RING, data: utf8('before revoke') })).ciphertext;
    await t.kms.revokeKeyringKey(RING);
    const next = await t.kms.getKeyringCertificate(RING);
    expect(next.keyId).not.toBe(first.keyId);
    await decrypts(old, 'before revoke');
    await expectKmsError(
      t.kms.revokeKeyringKey({ applicationId: 'KERNEL', referenceId: 'SIGN' }),
      'KEYRING_REVOKE_REFUSED',
    );
    await expectKmsError(
      t.kms.revokeKeyringKey({ applicationId: 'REGISTRATION', referenceId: 'never-used' }),
      'KEYRING_KEY_NOT_FOUND',
    );
    await expectKmsError(
      t.kms.revokeKeyringKey({ applicationId: 'NOPE', referenceId: '1' }),
      'KEYRING_POLICY_NOT_FOUND',
    );
  });

  it('force replaces the Module key and re-certifies the Base keys below it; old ciphertext still decrypts', async () => {
    const base = await t.kms.getKeyringCertificate(RING);
    const master = await t.kms.getKeyringCertificate(MASTER);
    const old = (await t.kms.keyringEncrypt({ ...RING, data: utf8('before force') })).ciphertext;
    t.clock.advanceMs(1000);
    const same = await t.kms.generateKeyringMasterKey({ ...MASTER, objectType: 'CERTIFICATE' });
    expect(same.keyId).toBe(master.keyId); // without force: the current one
    const forced = await t.kms.generateKeyringMasterKey({ ...MASTER, objectType: 'CERTIFICATE', force: true });
    expect(forced.keyId).not.toBe(master.keyId);
    const recertified = await t.kms.getKeyringCertificate(RING);
    expect(recertified.keyId).toBe(base.keyId); // the same Base key, a new certificate
    expect(recertified.thumbprint).not.toBe(base.thumbprint);
    const root = await t.kms.getKeyringCertificate({ applicationId: 'ROOT' });
    const files = pemFiles(t.dir, { r: root.certificate, m: forced.certificate!, b: recertified.certificate });
    expect(openssl('verify', '-CAfile', files.r!, '-untrusted', files.m!, files.b!).stdout).toContain(': OK');
    await decrypts(old, 'before force');
    const now = (await t.kms.keyringEncrypt({ ...RING, data: utf8('after force') })).ciphertext;
    await decrypts(now, 'after force');
  });

  it('force on ROOT re-certifies the Module keys; a CSR comes back for objectType CSR', async () => {
    const master = await t.kms.getKeyringCertificate(MASTER);
    const root = await t.kms.getKeyringCertificate({ applicationId: 'ROOT' });
    t.clock.advanceMs(1000);
    const forced = await t.kms.generateKeyringMasterKey({
      applicationId: 'ROOT',
      objectType: 'CERTIFICATE',
      force: true,
    });
    expect(forced.keyId).not.toBe(root.keyId);
    const again = await t.kms.getKeyringCertificate(MASTER);
    expect(again.keyId).toBe(master.keyId);
    const files = pemFiles(t.dir, { r: forced.certificate!, m: again.certificate });
    expect(openssl('verify', '-CAfile', files.r!, files.m!).stdout).toContain(': OK');
    const csr = await t.kms.generateKeyringMasterKey({ ...MASTER, objectType: 'CSR' });
    expect(csr.csr).toContain('BEGIN CERTIFICATE REQUEST');
    expect(csr.keyId).toBe(master.keyId);
    await expectKmsError(t.kms.generateKeyringMasterKey({ ...RING, objectType: 'CERTIFICATE' }), 'VALIDATION_ERROR');
  });

  it('GenerateKeyringSymmetricKey keeps a current AES key unless forced', async () => {
    const ring = { applicationId: 'KERNEL', referenceId: 'IDENTITY_CACHE' };
    const first = await t.kms.generateKeyringSymmetricKey(ring);
    expect(first.generated).toBe(true);
    expect(await t.kms.generateKeyringSymmetricKey(ring)).toEqual({ keyId: first.keyId, generated: false });
    const forced = await t.kms.generateKeyringSymmetricKey({ ...ring, force: true });
    expect(forced.generated).toBe(true);
    expect(forced.keyId).not.toBe(first.keyId);
    const { keyMetadata } = await t.kms.describeKey({ keyId: forced.keyId });
    expect(keyMetadata.keySpec).toBe('AES_256');
    const blob = (await t.kms.encrypt({ keyId: 'keyring/KERNEL/IDENTITY_CACHE', plaintext: utf8('aes') }))
      .ciphertextBlob;
    expect(text((await t.kms.decrypt({ ciphertextBlob: blob })).plaintext)).toBe('aes');
  });
});
