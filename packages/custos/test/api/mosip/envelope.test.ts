import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CompactSign } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOSIP_ENDPOINTS, MOSIP_NOT_SERVED } from '../../../src/api/mosip/plugin.js';
import { openTestApp, type TestApp } from '../helpers.js';
import { listen, MOSIP_TIME, mosipError, MosipClient, mosipNow, ok, urlB64 } from './mosip-client.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/mosip/${name}`, import.meta.url), 'utf8');
const partnerCert = fixture('golden-cert.pem');
const partnerKey = createPrivateKey(fixture('golden-key.pem'));

describe('MOSIP API: envelopes, validation, errors and endpoints Custos does not serve', () => {
  let t: TestApp;
  let base: string;
  let mosip: MosipClient;
  beforeAll(async () => {
    t = await openTestApp();
    base = await listen(t);
    mosip = new MosipClient(base, t.admin);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('copies id and version, answers responsetime in MOSIP format, metadata and response null on an error', async () => {
    const res = await fetch(`${base}/v1/keymanager/encrypt`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'mosip.crypto.encrypt', version: 'v1.7', requesttime: mosipNow(), request: {} }),
    });
    const body = (await res.json()) as Record<string, unknown>;
    expect(res.status).toBe(200);
    expect(Object.keys(body)).toEqual(['id', 'version', 'responsetime', 'metadata', 'response', 'errors']);
    expect(body).toMatchObject({ id: 'mosip.crypto.encrypt', version: 'v1.7', metadata: null, response: null });
    expect(body.responsetime).toMatch(MOSIP_TIME);
    expect(body.errors).toEqual([{ errorCode: 'KER-KMS-005', message: 'applicationId should not be null or empty' }]);
  });

  it('KER-KMS-005 for a missing request, a missing field, a bad requesttime or timeStamp, a non-JSON body', async () => {
    const raw = async (body: string): Promise<Response> =>
      fetch(`${base}/v1/keymanager/decrypt`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t.admin}`, 'content-type': 'application/json' },
        body,
      });
    const missing = (await (await raw(JSON.stringify({ id: 'x', version: '1' }))).json()) as { errors: unknown };
    expect(missing.errors).toEqual([{ errorCode: 'KER-KMS-005', message: 'request should not be null or empty' }]);
    const badRequestTime = await raw(JSON.stringify({ requesttime: '2024-01-01 10:00:00', request: {} }));
    expect(((await badRequestTime.json()) as { errors: { errorCode: string }[] }).errors[0]?.errorCode).toBe(
      'KER-KMS-005',
    );
    const notJson = await raw('{not json');
    expect(notJson.status).toBe(200);
    expect(((await notJson.json()) as { errors: { errorCode: string }[] }).errors[0]?.errorCode).toBe('KER-KMS-005');

    const request = { applicationId: 'REGISTRATION', referenceId: '10001', data: urlB64('x') };
    expect(mosipError(await mosip.post('/decrypt', request), 'KER-KMS-005')).toBe(
      'timeStamp should not be null or empty',
    );
    for (const timeStamp of [
      '2024-01-01T10:00:00Z',
      '2024-01-01T10:00:00.000',
      '2024-02-30T10:00:00.000Z',
      '01-01-2024',
    ]) {
      const message = mosipError(await mosip.post('/encrypt', { ...request, timeStamp }), 'KER-KMS-005');
      expect(message).toMatch(/^timeStamp should be in the format/);
    }
    mosipError(await mosip.post('/encrypt', { ...request, timeStamp: mosipNow(), data: '' }), 'KER-KMS-005');
    mosipError(await mosip.post('/decrypt', { ...request, timeStamp: mosipNow(), data: 'a$b' }), 'KER-CRY-003');
    mosipError(await mosip.post('/generateMasterKey/KEY', { applicationId: 'KERNEL' }), 'KER-KMS-005');
    mosipError(await mosip.post('/generateSymmetricKey', { applicationId: 'KERNEL' }), 'KER-KMS-005');
    mosipError(
      await mosip.call('PUT', '/revokeKey', { applicationId: 'REGISTRATION', referenceId: '' }),
      'KER-KMS-005',
    );
    mosipError(await mosip.post('/uploadCertificate', { applicationId: 'KERNEL', force: 'yes' }), 'KER-KMS-005');
    mosipError(await mosip.post('/generateCSR', { applicationId: 7 }), 'KER-KMS-005');
  });

  it('authentication: no token or a bad one → 401 KER-ATH-401; a role without the right → 403 KER-ATH-403', async () => {
    mosipError(
      await new MosipClient(base, undefined).get('/getCertificate', { applicationId: 'KERNEL' }),
      'KER-ATH-401',
      401,
    );
    mosipError(await new MosipClient(base, 'nope').post('/zkEncrypt', {}), 'KER-ATH-401', 401);
    for (const endpoint of MOSIP_ENDPOINTS) {
      const path = endpoint.path.replace(':objectType', 'CERTIFICATE');
      const anonymous = new MosipClient(base, undefined);
      mosipError(
        await anonymous.call(endpoint.method, path, endpoint.method === 'GET' ? undefined : {}),
        'KER-ATH-401',
        401,
      );
    }
    const auditor = new MosipClient(base, await t.token('monitor'));
    const request = { dataToSign: urlB64('{}'), certificateData: partnerCert };
    mosipError(await auditor.post('/jwtVerify', { ...request, jwtSignatureData: 'a.b.c' }), 'KER-KMS-005');
    mosipError(
      await auditor.post('/jwtVerify', { jwtSignatureData: await jws('{}'), validateTrust: true, domain: 'D' }),
      'KER-ATH-403',
      403,
    );
  });

  it('endpoints Custos does not serve, on any method, answer KER-KMS-501 in MOSIP shape; unknown paths too (404)', async () => {
    for (const path of ['/zkEncrypt', '/zkDecrypt', '/pdf/sign', '/jwtEncrypt', '/generateArgon2Hash', '/jwtSign/v2']) {
      const message = mosipError(await mosip.post(path, {}), 'KER-KMS-501');
      expect(message).toContain('not served by Custos');
    }
    for (const path of MOSIP_NOT_SERVED) {
      const concrete = path.replace(':objectType', 'CSR');
      for (const method of ['GET', 'POST', 'PUT'] as const)
        mosipError(await mosip.call(method, concrete, method === 'GET' ? undefined : {}), 'KER-KMS-501');
    }
    mosipError(await mosip.call('POST', '/zkReEncryptRandomKey', undefined, { encryptedKey: 'x' }), 'KER-KMS-501');
    mosipError(await mosip.get('/getCertificateChain', {}), 'KER-KMS-501');
    mosipError(await mosip.post('/noSuchEndpoint', {}), 'KER-KMS-501', 404);
    mosipError(await mosip.call('DELETE', '/encrypt'), 'KER-KMS-501', 404);
  });

  it('jwtSign and jwsSign refuse a Base key (KER-KMS-020) and bad input before any key is used', async () => {
    const data = urlB64('{"a":1}');
    for (const path of ['/jwtSign', '/jwsSign']) {
      mosipError(
        await mosip.post(path, { dataToSign: data, applicationId: 'REGISTRATION', referenceId: '10001' }),
        'KER-KMS-020',
      );
      mosipError(await mosip.post(path, { applicationId: 'KERNEL' }), 'KER-KMS-005');
    }
    mosipError(await mosip.post('/jwtSign', { dataToSign: urlB64('not json') }), 'KER-KMS-005');
    mosipError(await mosip.post('/jwsSign', { dataToSign: data, signAlgorithm: 'ES256' }), 'KER-KMS-005');
  });

  const jws = async (payload: string, header: Record<string, unknown> = {}): Promise<string> =>
    new CompactSign(new TextEncoder().encode(payload)).setProtectedHeader({ alg: 'PS256', ...header }).sign(partnerKey);

  it('jwtVerify with the caller’s certificate: valid, tampered, detached, b64:false, and trust against the trust store', async () => {
    const good = await jws('{"sub":"x"}');
    const reply = ok(await mosip.post('/jwtVerify', { jwtSignatureData: good, certificateData: partnerCert }));
    expect(reply).toEqual({ signatureValid: true, message: 'Validation Successful', trustValid: 'TRUST_NOT_VERIFIED' });
    const [h, p, s] = good.split('.');
    const tampered = `${h ?? ''}.${p ?? ''}x.${s ?? ''}`;
    const bad = ok(await mosip.post('/jwtVerify', { jwtSignatureData: tampered, certificateData: partnerCert }));
    expect(bad).toMatchObject({ signatureValid: false, message: 'Validation Failed' });
    const detached = `${h ?? ''}..${s ?? ''}`;
    const actualData = urlB64('{"sub":"x"}');
    expect(
      ok(await mosip.post('/jwtVerify', { jwtSignatureData: detached, actualData, certificateData: partnerCert })),
    ).toMatchObject({ signatureValid: true });
    const unencoded = await jws('{"a":1}', { b64: false, crit: ['b64'] });
    const [uh, , us] = unencoded.split('.');
    const verdict = await mosip.post('/jwtVerify', {
      jwtSignatureData: `${uh ?? ''}..${us ?? ''}`,
      actualData: urlB64('{"a":1}'),
      certificateData: partnerCert,
    });
    expect(ok(verdict)).toMatchObject({ signatureValid: true });

    const trust = (domain?: string) =>
      mosip.post('/jwtVerify', {
        jwtSignatureData: good,
        certificateData: partnerCert,
        validateTrust: true,
        ...(domain ? { domain } : {}),
      });
    expect(ok(await trust())).toMatchObject({ trustValid: 'TRUST_NOT_VERIFIED_NO_DOMAIN' });
    expect(ok(await trust('MOSIPTEST'))).toMatchObject({ trustValid: 'TRUST_CERT_PATH_NOT_VALID' });
    await t.kms.addTrustedCertificate(
      { certificate: partnerCert, domain: 'MOSIPTEST' },
      { principal: 'admin', roles: ['admin'] },
    );
    expect(ok(await trust('MOSIPTEST'))).toMatchObject({ trustValid: 'TRUST_CERT_PATH_VALID' });
    mosipError(await mosip.post('/jwtVerify', { jwtSignatureData: good, certificateData: 'garbage' }), 'KER-KMS-013');
  });

  it('jwtVerify with the caller’s certificate is authorised and audited like any call (it needs no key)', async () => {
    const good = await jws('{"sub":"audited"}');
    const monitor = new MosipClient(base, await t.token('monitor'));
    mosipError(
      await monitor.post('/jwtVerify', { jwtSignatureData: good, certificateData: partnerCert }),
      'KER-ATH-403',
      403,
    );
    const admin = { principal: 'admin', roles: ['admin' as const] };
    const verifications = async () =>
      (await t.kms.listAuditRecords({ last: 1000 }, admin)).records.filter(
        (r) => r.operation === 'VerifyCertificateChain' && r.outcome === 'allowed',
      ).length;
    const before = await verifications();
    ok(await mosip.post('/jwtVerify', { jwtSignatureData: good, certificateData: partnerCert }));
    expect(await verifications()).toBe(before + 1);
  });
});
