// Keyrings (MOSIP key hierarchy) through LocalKms on SQLite: the default policies, ROOT → Module → Base generated on
// first use with a certificate chain that openssl verifies, the second level of wrapping, and MOSIP hybrid
// encryption and decryption.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openssl, pemFiles } from '../../helpers/x509-outside.js';
import { openTestKms, text, utf8, type TestKms } from '../helpers.js';

describe('keyrings: the hierarchy', () => {
  let t: TestKms;
  beforeAll(async () => {
    t = await openTestKms();
  });
  afterAll(async () => t?.cleanup());

  it('seeds MOSIP default policies', async () => {
    const { policies } = await t.kms.listKeyringPolicies({});
    expect(policies.map((p) => p.applicationId)).toContain('REGISTRATION');
    expect(policies.find((p) => p.applicationId === 'ROOT')).toMatchObject({ validityDays: 2920, preExpireDays: 1125 });
    expect(policies).toHaveLength(12);
  });

  it('generates ROOT, Module and Base keys on first use; openssl verifies the chain', async () => {
    const base = await t.kms.getKeyringCertificate({ applicationId: 'REGISTRATION', referenceId: '10001' });
    const master = await t.kms.getKeyringCertificate({ applicationId: 'REGISTRATION' });
    const root = await t.kms.getKeyringCertificate({ applicationId: 'ROOT' });
    expect(base.thumbprint).toMatch(/^[0-9A-F]{64}$/);
    const files = pemFiles(t.dir, { root: root.certificate, master: master.certificate, base: base.certificate });
    const out = openssl('verify', '-CAfile', files.root, '-untrusted', files.master, files.base);
    expect(out.stdout + out.stderr).toContain('OK');
    const subject = openssl('x509', '-noout', '-subject', '-in', files.base).stdout;
    expect(subject).toContain('CN = REGISTRATION-10001');
  });

  it('encrypts and decrypts in MOSIP bytes', async () => {
    const { ciphertext } = await t.kms.keyringEncrypt({ applicationId: 'REGISTRATION', referenceId: '10001', data: utf8('hello') });
    const { plaintext } = await t.kms.keyringDecrypt({ applicationId: 'REGISTRATION', referenceId: '10001', ciphertext });
    expect(text(plaintext)).toBe('hello');
  });
});
