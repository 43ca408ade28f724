import { randomBytes, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { compactVerify, decodeProtectedHeader, flattenedVerify } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  compileJce,
  describeJce,
  GOLDEN_CERT_PATH,
  GOLDEN_KEY_PATH,
  type JceHarness,
} from '../../helpers/mosip-jce.js';
import { openTestApp, type TestApp } from '../helpers.js';
import { listen, MOSIP_TIME, mosipError, MosipClient, mosipNow, ok, urlB64 } from './mosip-client.js';

const partnerCert = readFileSync(GOLDEN_CERT_PATH, 'utf8');
const b64std = (text: string): string => Buffer.from(text, 'base64').toString('base64');

interface CertReply {
  certificate: string;
  certSignRequest: string | null;
  issuedAt: string;
  expiryAt: string;
  timestamp: string;
}

describeJce('the MOSIP API end to end')('MOSIP API end to end: a MOSIP client, the Java harness, jose', () => {
  let t: TestApp;
  let mosip: MosipClient;
  let jce: JceHarness;
  const encrypt = (request: Record<string, unknown>) =>
    mosip.post<{ data: string }>('/encrypt', { timeStamp: mosipNow(), ...request });
  const decrypt = (request: Record<string, unknown>) =>
    mosip.post<{ data: string }>('/decrypt', { timeStamp: mosipNow(), ...request });
  const REG = { applicationId: 'REGISTRATION', referenceId: '10001' };

  beforeAll(async () => {
    t = await openTestApp();
    mosip = new MosipClient(await listen(t), t.admin);
    jce = compileJce();
  });
  afterAll(async () => {
    jce.close();
    await t.cleanup();
  });

  it('getCertificate generates a Base key on first use; getAllCertificates lists it with MOSIP’s keyId', async () => {
    const cert = ok(await mosip.get<CertReply>('/getCertificate', REG));
    expect(cert.certificate).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(new X509Certificate(cert.certificate).subject).toContain('CN=REGISTRATION-10001');
    for (const time of [cert.issuedAt, cert.expiryAt, cert.timestamp]) expect(time).toMatch(MOSIP_TIME);
    const all = ok(
      await mosip.get<{ allCertificates: { certificateData: string; keyId: string }[] }>('/getAllCertificates', REG),
    );
    expect(all.allCertificates.map((c) => c.certificateData)).toEqual([cert.certificate]);
    expect(all.allCertificates[0]?.keyId).toMatch(/^[A-Za-z0-9_-]{43}=$/);
  });

  it('encrypt → decrypt in every layout; the output is base64url with padding and VER_R2 without salt and aad', async () => {
    const data = urlB64(randomBytes(50));
    const plain = ok(await encrypt({ ...REG, data }));
    expect(plain.data).toMatch(/^[A-Za-z0-9_-]+={0,2}$/);
    expect(Buffer.from(plain.data, 'base64url').subarray(0, 6).toString()).toBe('VER_R2');
    expect(ok(await decrypt({ ...REG, data: plain.data })).data).toBe(data);
    const aad = urlB64(randomBytes(16));
    const salt = urlB64(randomBytes(12));
    for (const extra of [{ aad }, { salt }, { aad, salt }]) {
      const sealed = ok(await encrypt({ ...REG, data, ...extra }));
      expect(ok(await decrypt({ ...REG, data: sealed.data, ...extra })).data).toBe(data);
      mosipError(await decrypt({ ...REG, data: sealed.data }), 'KER-CRY-003');
    }
    // every MOSIP call went through the Kms: audited under the token's principal
    const { records } = await t.kms.listAuditRecords({ last: 50 }, { principal: 'admin', roles: ['admin'] });
    const ops = records.map((r) => r.operation);
    expect(ops).toContain('KeyringEncrypt');
    expect(ops).toContain('KeyringDecrypt');
    // standard base64 input is read too
    const std = Buffer.from(plain.data, 'base64url').toString('base64');
    expect(ok(await decrypt({ ...REG, data: std })).data).toBe(data);
  });

  it('ciphertext made by the Java harness for the keyring’s certificate decrypts through /decrypt', async () => {
    const cert = ok(await mosip.get<CertReply>('/getCertificate', REG));
    const certPath = jce.file('registration.pem', cert.certificate);
    const data = randomBytes(40).toString('base64');
    for (const options of [
      {},
      { aad: randomBytes(8).toString('base64') },
      { salt: randomBytes(16).toString('base64') },
      { noThumbprint: true },
    ]) {
      const theirs = await jce.encrypt(certPath, data, options);
      const reply = ok(
        await decrypt({
          ...REG,
          data: theirs,
          ...('aad' in options ? { aad: options.aad } : {}),
          ...('salt' in options ? { salt: options.salt } : {}),
        }),
      );
      expect(b64std(reply.data)).toBe(data);
    }
  });

  it('ciphertext made by Custos for an uploaded partner certificate decrypts with the partner’s key in Java', async () => {
    const partner = { applicationId: 'REGISTRATION', referenceId: 'PARTNER1' };
    expect(
      ok(await mosip.post('/uploadOtherDomainCertificate', { ...partner, certificateData: partnerCert })),
    ).toMatchObject({
      status: 'Upload Success',
    });
    const data = randomBytes(64).toString('base64');
    for (const extra of [{}, { aad: randomBytes(8).toString('base64') }]) {
      const sealed = ok(await encrypt({ ...partner, data, ...extra }));
      expect(await jce.decrypt(GOLDEN_KEY_PATH, GOLDEN_CERT_PATH, sealed.data, extra)).toBe(data);
    }
    mosipError(
      await mosip.post('/uploadOtherDomainCertificate', {
        applicationId: 'KERNEL',
        referenceId: 'SIGN',
        certificateData: partnerCert,
      }),
      'KER-KMS-015',
    );
  });

  it('revokeKey: a new key at next use; the old ciphertext still decrypts (found by thumbprint)', async () => {
    const ref = { applicationId: 'REGISTRATION', referenceId: 'REVOKE1' };
    const before = ok(await mosip.get<CertReply>('/getCertificate', ref));
    const sealed = ok(await encrypt({ ...ref, data: urlB64('old') }));
    expect(ok(await mosip.call('PUT', '/revokeKey', ref))).toMatchObject({ status: 'Key Revoked' });
    const after = ok(await mosip.get<CertReply>('/getCertificate', ref));
    expect(after.certificate).not.toBe(before.certificate);
    expect(ok(await decrypt({ ...ref, data: sealed.data })).data).toBe(urlB64('old'));
    mosipError(await mosip.call('PUT', '/revokeKey', { applicationId: 'KERNEL', referenceId: 'SIGN' }), 'KER-KMS-021');
  });

  it('generateMasterKey, generateCSR, uploadCertificate, generateSymmetricKey', async () => {
    const made = ok(
      await mosip.post<CertReply>('/generateMasterKey/CERTIFICATE', {
        applicationId: 'RESIDENT',
        referenceId: '',
        force: false,
      }),
    );
    expect(made.certificate).toMatch(/BEGIN CERTIFICATE/);
    expect(made.certSignRequest).toBeNull();
    const csr = ok(
      await mosip.post<CertReply>('/generateMasterKey/CSR', {
        applicationId: 'RESIDENT',
        commonName: 'Resident master',
      }),
    );
    expect(csr.certSignRequest).toMatch(/BEGIN CERTIFICATE REQUEST/);
    const baseCsr = ok(await mosip.post<{ certSignRequest: string }>('/generateCSR', REG));
    expect(baseCsr.certSignRequest).toMatch(/BEGIN CERTIFICATE REQUEST/);
    // the keyring's own certificate again is accepted; a certificate for another key is KER-KMS-014
    const current = ok(await mosip.get<CertReply>('/getCertificate', REG));
    expect(ok(await mosip.post('/uploadCertificate', { ...REG, certificateData: current.certificate }))).toMatchObject({
      status: 'Upload Success',
    });
    mosipError(await mosip.post('/uploadCertificate', { ...REG, certificateData: partnerCert }), 'KER-KMS-014');
    mosipError(await mosip.post('/uploadCertificate', { ...REG, certificateData: 'not a certificate' }), 'KER-KMS-013');
    const sym = ok(
      await mosip.post<{ status: string }>('/generateSymmetricKey', {
        applicationId: 'KERNEL',
        referenceId: 'IDENTITY_CACHE',
      }),
    );
    expect(sym.status).toMatch(/^(Generation Success|Key Exists)$/);
  });

  it('business errors: KER-KMS-002, KER-CRY-011, KER-KMS-025, KER-CRY-003, KER-CRY-012', async () => {
    mosipError(await mosip.get('/getCertificate', { applicationId: 'NO_SUCH_APP' }), 'KER-KMS-002');
    mosipError(await encrypt({ applicationId: 'NO_SUCH_APP', referenceId: 'x', data: urlB64('x') }), 'KER-KMS-002');
    mosipError(await encrypt({ applicationId: 'REGISTRATION', data: urlB64('x') }), 'KER-CRY-011');
    mosipError(await encrypt({ applicationId: 'KERNEL', referenceId: 'SIGN', data: urlB64('x') }), 'KER-CRY-011');
    const foreign = await jce.encrypt(GOLDEN_CERT_PATH, 'eA==');
    mosipError(await decrypt({ ...REG, data: foreign }), 'KER-KMS-025');
    const sealed = Buffer.from(ok(await encrypt({ ...REG, data: urlB64('x') })).data, 'base64url');
    const at = sealed.indexOf('#KEY_SPLITTER#');
    mosipError(await decrypt({ ...REG, data: urlB64(sealed.subarray(0, at)) }), 'KER-CRY-003');
    mosipError(
      await decrypt({ ...REG, data: urlB64(Buffer.concat([sealed.subarray(0, 200), sealed.subarray(at)])) }),
      'KER-CRY-003',
    );
    const flipped = Buffer.from(sealed);
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 1;
    mosipError(await decrypt({ ...REG, data: urlB64(flipped) }), 'KER-CRY-003');
    await t.kms.putKeyringPolicy(
      { applicationId: 'PMS', validityDays: 100, preExpireDays: 10, accessAllowed: 'someone-else' },
      { principal: 'admin', roles: ['admin'] },
    );
    mosipError(await encrypt({ applicationId: 'PMS', referenceId: 'p1', data: urlB64('x') }), 'KER-CRY-012');
  });

  it('jwtSign (RS256) and jwsSign (PS256, detached, b64:false) verify with jose and the returned certificate; jwtVerify agrees', async () => {
    const payload = JSON.stringify({ sub: 'mosip', n: 1 });
    const signed = ok(
      await mosip.post<{ jwtSignedData: string; timestamp: string }>('/jwtSign', {
        dataToSign: urlB64(payload),
        includePayload: true,
        includeCertificate: true,
        includeCertHash: true,
      }),
    );
    const header = decodeProtectedHeader(signed.jwtSignedData);
    expect(header.alg).toBe('RS256');
    const x5c = header.x5c?.[0] ?? '';
    const cert = new X509Certificate(Buffer.from(x5c, 'base64'));
    const kernel = ok(await mosip.get<CertReply>('/getCertificate', { applicationId: 'KERNEL', referenceId: 'SIGN' }));
    expect(cert.raw.equals(new X509Certificate(kernel.certificate).raw)).toBe(true);
    expect(header['x5t#S256']).toBe(Buffer.from(cert.fingerprint256.replace(/:/g, ''), 'hex').toString('base64url'));
    expect(header.kid).toMatch(/^[A-Za-z0-9_-]{43}=$/);
    const verified = await compactVerify(signed.jwtSignedData, cert.publicKey);
    expect(Buffer.from(verified.payload).toString()).toBe(payload);

    const detached = ok(await mosip.post<{ jwtSignedData: string }>('/jwsSign', { dataToSign: urlB64(payload) }));
    const [h, p, s] = detached.jwtSignedData.split('.');
    expect(p).toBe('');
    expect(decodeProtectedHeader(detached.jwtSignedData).alg).toBe('PS256');
    await flattenedVerify(
      { protected: h ?? '', payload: Buffer.from(payload).toString('base64url'), signature: s ?? '' },
      cert.publicKey,
    );

    const unencoded = ok(
      await mosip.post<{ jwtSignedData: string }>('/jwsSign', {
        dataToSign: urlB64(payload),
        b64JWSHeaderParam: false,
        signAlgorithm: 'RS256',
      }),
    );
    const [uh, , us] = unencoded.jwtSignedData.split('.');
    expect(decodeProtectedHeader(unencoded.jwtSignedData)).toMatchObject({ b64: false, crit: ['b64'], alg: 'RS256' });
    await flattenedVerify(
      { protected: uh ?? '', payload: new TextEncoder().encode(payload), signature: us ?? '' },
      cert.publicKey,
    );

    const check = (jwtSignatureData: string, actualData?: string) =>
      mosip.post('/jwtVerify', {
        jwtSignatureData,
        ...(actualData ? { actualData } : {}),
        applicationId: 'KERNEL',
        referenceId: 'SIGN',
      });
    expect(ok(await check(signed.jwtSignedData))).toMatchObject({
      signatureValid: true,
      message: 'Validation Successful',
    });
    expect(ok(await check(detached.jwtSignedData, urlB64(payload)))).toMatchObject({ signatureValid: true });
    expect(ok(await check(unencoded.jwtSignedData, urlB64(payload)))).toMatchObject({ signatureValid: true });
    expect(ok(await check(detached.jwtSignedData, urlB64('{"other":1}')))).toMatchObject({ signatureValid: false });

    const master = ok(
      await mosip.post<{ jwtSignedData: string }>('/jwtSign', {
        dataToSign: urlB64(payload),
        applicationId: 'REGISTRATION',
        referenceId: '',
      }),
    );
    const regCert = ok(await mosip.get<CertReply>('/getCertificate', { applicationId: 'REGISTRATION' }));
    await flattenedVerify(
      {
        protected: master.jwtSignedData.split('.')[0] ?? '',
        payload: Buffer.from(payload).toString('base64url'),
        signature: master.jwtSignedData.split('.')[2] ?? '',
      },
      new X509Certificate(regCert.certificate).publicKey,
    );
  });
});
