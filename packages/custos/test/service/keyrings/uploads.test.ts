// Certificates from outside a keyring (MOSIP uploadCertificate, uploadOtherDomainCertificate): an external CA's
// certificate for the current key after CreateKeyringCsr (its public key must match), and a partner's certificate,
// for which KeyringEncrypt makes bytes the partner opens with its own code (here: plain node:crypto, written from
// the spec, as the independent side).
import { createDecipheriv, createHash, generateKeyPairSync, privateDecrypt, constants } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsr } from '../../../src/core/certificates/x509.js';
import { expectKmsError } from '../../../../contract/test/helpers/expect-kms-error.js';
import { outsideCertificate } from '../../helpers/x509-outside.js';
import { openTestKms, text, utf8, type TestKms } from '../helpers.js';

const RING = { applicationId: 'REGISTRATION', referenceId: 'csr' };

/** MOSIP layout (a) opened with node:crypto only: VER_R2 ‖ thumbprint ‖ RSA-OAEP(SHA-256) key ‖ splitter ‖ A ‖ ct ‖ tag. */
function partnerDecrypt(bytes: Uint8Array, privateKey: ReturnType<typeof generateKeyPairSync>['privateKey']) {
  const all = Buffer.from(bytes);
  const split = all.indexOf('#KEY_SPLITTER#');
  const keyPart = all.subarray(0, split);
  const dataPart = all.subarray(split + 14);
  expect(keyPart.subarray(0, 6).toString()).toBe('VER_R2');
  const thumbprint = keyPart.subarray(6, 38);
  const sessionKey = privateDecrypt(
    { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
    keyPart.subarray(38),
  );
  const a = dataPart.subarray(0, 32);
  const decipher = createDecipheriv('aes-256-gcm', sessionKey, a.subarray(0, 12), { authTagLength: 16 });
  decipher.setAAD(a);
  decipher.setAuthTag(dataPart.subarray(dataPart.length - 16));
  const plaintext = Buffer.concat([decipher.update(dataPart.subarray(32, dataPart.length - 16)), decipher.final()]);
  return { thumbprint, plaintext };
}

describe('keyrings: uploaded certificates', () => {
  let t: TestKms;
  beforeAll(async () => {
    t = await openTestKms();
  });
  afterAll(async () => t?.cleanup());

  it('CreateKeyringCsr → an external CA → UploadKeyringCertificate; the old thumbprint still decrypts', async () => {
    const before = await t.kms.getKeyringCertificate(RING);
    const old = (await t.kms.keyringEncrypt({ ...RING, data: utf8('before upload') })).ciphertext;
    const { csr } = await t.kms.createKeyringCsr({ ...RING, subject: { organization: 'Partner CA' } });
    const request = parseCsr(csr);
    expect(await request.verify()).toBe(true);
    const ca = await outsideCertificate({ subject: 'CN=External CA' });
    const issued = await outsideCertificate({
      subject: 'CN=REGISTRATION-csr',
      issuer: ca,
      publicKey: new Uint8Array(request.publicKey.rawData),
      ca: false,
    });
    await t.kms.uploadKeyringCertificate({ ...RING, certificate: issued.pem });
    const after = await t.kms.getKeyringCertificate(RING);
    expect(after.keyId).toBe(before.keyId);
    expect(after.thumbprint).toBe(
      createHash('sha256').update(new Uint8Array(issued.certificate.rawData)).digest('hex').toUpperCase(),
    );
    expect(text((await t.kms.keyringDecrypt({ ...RING, ciphertext: old })).plaintext)).toBe('before upload');
    const fresh = (await t.kms.keyringEncrypt({ ...RING, data: utf8('after upload') })).ciphertext;
    expect(text((await t.kms.keyringDecrypt({ ...RING, ciphertext: fresh })).plaintext)).toBe('after upload');
  });

  it('refuses a certificate of another key (KEYRING_CERTIFICATE_MISMATCH), of a non-RSA key and of no key yet', async () => {
    const other = await t.kms.getKeyringCertificate({ applicationId: 'ID_REPO', referenceId: 'other' });
    await t.kms.getKeyringCertificate(RING);
    await expectKmsError(
      t.kms.uploadKeyringCertificate({ ...RING, certificate: other.certificate }),
      'KEYRING_CERTIFICATE_MISMATCH',
    );
    const ec = await outsideCertificate({ subject: 'CN=ec' });
    await expectKmsError(t.kms.uploadKeyringCertificate({ ...RING, certificate: ec.pem }), 'INVALID_CERTIFICATE');
    await expectKmsError(t.kms.uploadKeyringCertificate({ ...RING, certificate: 'not a pem' }), 'INVALID_CERTIFICATE');
    await expectKmsError(
      t.kms.uploadKeyringCertificate({
        applicationId: 'REGISTRATION',
        referenceId: 'unused',
        certificate: other.certificate,
      }),
      'KEYRING_KEY_NOT_FOUND',
    );
  });

  it("a partner's certificate: KeyringEncrypt uses it, and the partner decrypts with its own private key", async () => {
    const partner = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const spki = new Uint8Array(partner.publicKey.export({ type: 'spki', format: 'der' }));
    // Valid for a year: a certificate within BASE's 30 pre-expiry days is not current, and encryption would use a
    // Base key of Custos's own instead.
    const certificate = await outsideCertificate({ subject: 'CN=partner', publicKey: spki, ca: false, toDays: 365 });
    const ring = { applicationId: 'RESIDENT', referenceId: 'partner-1' };
    await t.kms.uploadPartnerCertificate({ ...ring, certificate: certificate.pem });
    await t.kms.uploadPartnerCertificate({ ...ring, certificate: certificate.pem }); // again: nothing new
    const { ciphertext } = await t.kms.keyringEncrypt({ ...ring, data: utf8('for the partner') });
    const opened = partnerDecrypt(ciphertext, partner.privateKey);
    expect(opened.plaintext.toString()).toBe('for the partner');
    expect(opened.thumbprint.toString('hex')).toBe(
      createHash('sha256').update(new Uint8Array(certificate.certificate.rawData)).digest('hex'),
    );
    const listed = await t.kms.listKeyringCertificates(ring);
    expect(listed.certificates).toHaveLength(1);
    // Custos holds no private key for it: its own decrypt finds none.
    await expectKmsError(t.kms.keyringDecrypt({ ...ring, ciphertext }), 'KEYRING_KEY_NOT_FOUND');
    await expectKmsError(
      t.kms.uploadPartnerCertificate({ applicationId: 'KERNEL', referenceId: 'SIGN', certificate: certificate.pem }),
      'KEYRING_UPLOAD_REFUSED',
    );
  });
});
