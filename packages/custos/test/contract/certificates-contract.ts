// The certificate and trust store contract: one suite for LocalKms and RemoteKms (certificates-local.test.ts,
// certificates-remote.test.ts). A root CA → intermediate (pathLength 0) → leaf hierarchy built entirely in Custos,
// accepted by openssl; a CSR from openssl issued by Custos; and every refusal the issue names, each by its code.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AccessDeniedError,
  ConflictError,
  InvalidStateError,
  NotFoundError,
  UnsupportedError,
  ValidationError,
  VerificationFailedError,
  type CreateKeyRequest,
  type Kms,
} from '@custos/contract';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';
import { flipLastByte, openssl, outsideCertificate, pemFiles } from '../helpers/x509-outside.js';
import type { KmsUnderTest } from './kms-contract.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Registers the certificate suite for one implementation; `make` is called once, before it. */
export function describeCertificatesContract(name: string, make: () => Promise<KmsUnderTest>): void {
  describe(`certificates and trust store: ${name}`, () => {
    let under: KmsUnderTest;
    let kms: Kms;
    let dir: string;
    let n = 0;
    /** A fresh trust domain per use, so tests do not see each other's anchors. */
    const domain = () => `d${String(++n)}-${name.toLowerCase()}`;
    const newKey = async (keySpec: CreateKeyRequest['keySpec'] = 'ECC_NIST_P256') =>
      (await kms.createKey({ keySpec, keyUsage: 'SIGN_VERIFY' })).keyMetadata.keyId;
    const files = (prefix: string, content: Record<string, string | readonly string[]>) =>
      pemFiles(dir, Object.fromEntries(Object.entries(content).map(([k, v]) => [`${prefix}-${k}`, v])));

    /** root (P-384, CA) → intermediate (P-256, CA, pathLength 0) → leaf (RSA), all in Custos, pinned in `trust`. */
    const h = {
      trust: '',
      root: '',
      inter: '',
      leaf: '',
      rootPem: '',
      interChain: [] as string[],
      leafChain: [] as string[],
    };

    beforeAll(async () => {
      under = await make();
      kms = under.kms;
      dir = await mkdtemp(join(tmpdir(), 'custos-certs-'));
      h.trust = domain();
      h.root = await newKey('ECC_NIST_P384');
      h.inter = await newKey('ECC_NIST_P256');
      h.leaf = await newKey('RSA_2048');
      const root = await kms.createSelfSignedCertificate({
        keyId: h.root,
        subject: 'CN=Custos Test Root,O=Acme',
        validityDays: 3650,
        isCa: true,
      });
      h.rootPem = root.certificate;
      await kms.addTrustedCertificate({ certificate: h.rootPem, domain: h.trust });
      const interCsr = await kms.createCsr({ keyId: h.inter, subject: 'CN=Custos Test Intermediate,O=Acme' });
      const inter = await kms.issueCertificate({
        keyId: h.root,
        csr: interCsr.csr,
        validityDays: 365,
        isCa: true,
        pathLength: 0,
      });
      h.interChain = inter.certificateChain;
      await kms.setKeyCertificate({ keyId: h.inter, certificateChain: h.interChain, domain: h.trust });
      const leafCsr = await kms.createCsr({
        keyId: h.leaf,
        subject: 'CN=orders,O=Acme',
        subjectAltNames: ['DNS:orders.acme.example', 'IP:10.0.0.7'],
        signingAlgorithm: 'RSASSA_PSS_SHA_256',
      });
      const leaf = await kms.issueCertificate({ keyId: h.inter, csr: leafCsr.csr, validityDays: 30 });
      h.leafChain = leaf.certificateChain;
      await kms.setKeyCertificate({ keyId: h.leaf, certificateChain: h.leafChain, domain: h.trust });
    }, 60_000);
    afterAll(async () => {
      await under?.cleanup();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('openssl verifies the root → intermediate → leaf chain Custos built, and reads its extensions', async () => {
      expect(h.leafChain).toHaveLength(3);
      expect(h.interChain).toHaveLength(2);
      const f = files('hier', { root: h.rootPem, inter: h.interChain[0]!, leaf: h.leafChain[0]! });
      const verified = openssl('verify', '-CAfile', f['hier-root']!, '-untrusted', f['hier-inter']!, f['hier-leaf']!);
      expect(verified.stderr).toBe('');
      expect(verified.stdout).toContain(': OK');
      expect(verified.status).toBe(0);
      const inter = openssl('x509', '-in', f['hier-inter']!, '-noout', '-text').stdout;
      expect(inter).toMatch(/CA:TRUE, pathlen:0/);
      expect(inter).toMatch(/Certificate Sign/);
      expect(inter).toMatch(/Issuer: CN ?= ?Custos Test Root, O ?= ?Acme/);
      const leaf = openssl('x509', '-in', f['hier-leaf']!, '-noout', '-text').stdout;
      expect(leaf).toMatch(/CA:FALSE/);
      expect(leaf).toContain('DNS:orders.acme.example');
      expect(leaf).toContain('IP Address:10.0.0.7');
      expect(leaf).toMatch(/Issuer: CN ?= ?Custos Test Intermediate/);
      // AKI of the leaf is the SKI of the intermediate.
      const ski = /Subject Key Identifier:\s*\n\s*([0-9A-F:]+)/.exec(inter)![1];
      expect(leaf).toContain(ski);
      // A positive 16-byte serial.
      const serial = openssl('x509', '-in', f['hier-leaf']!, '-noout', '-serial').stdout.trim().split('=')[1]!;
      expect(serial).toMatch(/^[0-7][0-9A-F]{31}$/);
    });

    it('the trust store verifies that chain and gives its path; GET certificate returns it with thumbprints', async () => {
      const verdict = await kms.verifyCertificateChain({ certificateChain: h.leafChain, domain: h.trust });
      expect(verdict.valid).toBe(true);
      expect(verdict.reason).toBeUndefined();
      expect(verdict.path.map((p) => p.subject)).toEqual([
        'CN=orders, O=Acme',
        'CN=Custos Test Intermediate, O=Acme',
        'CN=Custos Test Root, O=Acme',
      ]);
      // Intermediates may come in any order and the anchor may be left out.
      const partial = await kms.verifyCertificateChain({ certificateChain: h.leafChain.slice(0, 2), domain: h.trust });
      expect(partial.valid).toBe(true);
      const got = await kms.getKeyCertificate({ keyId: h.leaf });
      expect(got.certificateChain).toEqual(h.leafChain);
      const f = files('thumb', { leaf: h.leafChain[0]! });
      const sha256 = openssl('x509', '-in', f['thumb-leaf']!, '-noout', '-fingerprint', '-sha256').stdout;
      const sha1 = openssl('x509', '-in', f['thumb-leaf']!, '-noout', '-fingerprint', '-sha1').stdout;
      expect(sha256.split('=')[1]!.trim().replaceAll(':', '').toLowerCase()).toBe(got.thumbprints.sha256);
      expect(sha1.split('=')[1]!.trim().replaceAll(':', '').toLowerCase()).toBe(got.thumbprints.sha1);
    });

    it('openssl req -verify accepts a CSR Custos signed, for every certificate-capable spec', async () => {
      const cases: [CreateKeyRequest['keySpec'], string | undefined][] = [
        ['RSA_2048', undefined],
        ['RSA_2048', 'RSASSA_PSS_SHA_384'],
        ['ECC_NIST_P256', undefined],
        ['ECC_NIST_P384', undefined],
        ['ECC_NIST_P521', undefined],
        ['ECC_NIST_EDWARDS25519', undefined],
      ];
      for (const [spec, algorithm] of cases) {
        const keyId = spec === 'RSA_2048' ? h.leaf : await newKey(spec);
        const { csr } = await kms.createCsr({
          keyId,
          subject: `CN=${spec},O=Acme`,
          ...(algorithm ? { signingAlgorithm: algorithm as 'RSASSA_PSS_SHA_384' } : {}),
        });
        const f = files(`csr-${spec}-${algorithm ?? 'default'}`, { csr });
        const checked = openssl('req', '-in', f[`csr-${spec}-${algorithm ?? 'default'}-csr`]!, '-noout', '-verify');
        expect(`${spec} ${checked.stderr}${checked.stdout}`).toMatch(/verify OK/i);
        expect(checked.status).toBe(0);
      }
    });

    it('a self-signed certificate of each spec verifies in openssl; secp256k1 and non-signing keys are refused', async () => {
      for (const spec of ['RSA_2048', 'ECC_NIST_P521', 'ECC_NIST_EDWARDS25519'] as const) {
        const keyId = spec === 'RSA_2048' ? await newKey('RSA_2048') : await newKey(spec);
        const { certificate } = await kms.createSelfSignedCertificate({
          keyId,
          subject: `CN=self ${spec}`,
          validityDays: 2,
          subjectAltNames: ['self.acme.example'],
        });
        const f = files(`self-${spec}`, { cert: certificate });
        const path = f[`self-${spec}-cert`]!;
        expect(openssl('verify', '-CAfile', path, path).status).toBe(0);
      }
      await expectKmsError(
        kms.createCsr({ keyId: await newKey('ECC_SECG_P256K1'), subject: 'CN=k1' }),
        'UNSUPPORTED',
        UnsupportedError,
      );
      const aes = (await kms.createKey({})).keyMetadata.keyId;
      await expectKmsError(kms.createCsr({ keyId: aes, subject: 'CN=aes' }), 'INVALID_KEY_USAGE', ValidationError);
      await expectKmsError(
        kms.createCsr({ keyId: h.leaf, subject: 'CN=x', signingAlgorithm: 'ECDSA_SHA_256' }),
        'INVALID_KEY_USAGE',
        ValidationError,
      );
    });

    it('issues a CSR made by openssl; openssl verifies the result against the Custos root', async () => {
      const key = join(dir, 'openssl-key.pem');
      const csrPath = join(dir, 'openssl.csr');
      const made = openssl(
        'req',
        '-new',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        key,
        '-subj',
        '/CN=partner.acme.example/O=Partner',
        '-addext',
        'subjectAltName=DNS:partner.acme.example',
        '-out',
        csrPath,
      );
      expect(made.status).toBe(0);
      const { readFileSync } = await import('node:fs');
      const issued = await kms.issueCertificate({
        keyId: h.inter,
        csr: readFileSync(csrPath, 'utf8'),
        validityDays: 10,
      });
      const f = files('partner', { root: h.rootPem, inter: h.interChain[0]!, leaf: issued.certificate });
      const verified = openssl(
        'verify',
        '-CAfile',
        f['partner-root']!,
        '-untrusted',
        f['partner-inter']!,
        f['partner-leaf']!,
      );
      expect(verified.status).toBe(0);
      const text = openssl('x509', '-in', f['partner-leaf']!, '-noout', '-text').stdout;
      expect(text).toContain('DNS:partner.acme.example');
      expect(text).toMatch(/Subject: CN ?= ?partner.acme.example, O ?= ?Partner/);
      const notAfter = new Date(openssl('x509', '-in', f['partner-leaf']!, '-noout', '-enddate').stdout.split('=')[1]!);
      expect(Math.abs(notAfter.getTime() - (Date.now() + 10 * DAY_MS))).toBeLessThan(60 * 60 * 1000);
      const verdict = await kms.verifyCertificateChain({ certificateChain: issued.certificateChain, domain: h.trust });
      expect(verdict.valid).toBe(true);
    });

    it('refuses a CSR with a bad signature (INVALID_SIGNATURE) and one that is not a CSR (INVALID_CERTIFICATE)', async () => {
      const { csr } = await kms.createCsr({ keyId: h.leaf, subject: 'CN=tampered' });
      await expectKmsError(
        kms.issueCertificate({ keyId: h.inter, csr: flipLastByte(csr), validityDays: 1 }),
        'INVALID_SIGNATURE',
        VerificationFailedError,
      );
      await expectKmsError(
        kms.issueCertificate({ keyId: h.inter, csr: h.rootPem, validityDays: 1 }),
        'INVALID_CERTIFICATE',
        ValidationError,
      );
      await expectKmsError(
        kms.issueCertificate({ keyId: h.inter, csr: 'not a pem', validityDays: 1 }),
        'INVALID_CERTIFICATE',
        ValidationError,
      );
      await expectKmsError(kms.createCsr({ keyId: h.leaf, subject: 'no attributes' }), 'INVALID_CERTIFICATE');
      await expectKmsError(
        kms.createCsr({ keyId: h.leaf, subject: 'CN=x', subjectAltNames: ['bogus:thing'] }),
        'INVALID_CERTIFICATE',
      );
    });

    it('a key without CA rights cannot issue: no certificate, a non-CA certificate, pathLength 0 for a CA', async () => {
      const { csr } = await kms.createCsr({ keyId: h.leaf, subject: 'CN=wants a cert' });
      const bare = await newKey();
      await expectKmsError(
        kms.issueCertificate({ keyId: bare, csr, validityDays: 1 }),
        'ISSUER_NOT_CA',
        InvalidStateError,
      );
      const notCa = await newKey();
      await kms.createSelfSignedCertificate({ keyId: notCa, subject: 'CN=not a CA', validityDays: 5 });
      await expectKmsError(kms.issueCertificate({ keyId: notCa, csr, validityDays: 1 }), 'ISSUER_NOT_CA');
      // The leaf's chain says CA:FALSE too.
      await expectKmsError(kms.issueCertificate({ keyId: h.leaf, csr, validityDays: 1 }), 'ISSUER_NOT_CA');
      // The intermediate has pathLength 0: end-entity certificates only.
      await expectKmsError(kms.issueCertificate({ keyId: h.inter, csr, validityDays: 1, isCa: true }), 'ISSUER_NOT_CA');
      // The root may issue a CA, but not one with a longer path than its own allows (unlimited: any).
      const sub = await newKey();
      await kms.createSelfSignedCertificate({
        keyId: sub,
        subject: 'CN=Sub',
        validityDays: 5,
        isCa: true,
        pathLength: 1,
      });
      await expectKmsError(
        kms.issueCertificate({ keyId: sub, csr, validityDays: 1, isCa: true, pathLength: 1 }),
        'ISSUER_NOT_CA',
      );
      const ok = await kms.issueCertificate({ keyId: sub, csr, validityDays: 1, isCa: true });
      const f = files('sub', { c: ok.certificate });
      expect(openssl('x509', '-in', f['sub-c']!, '-noout', '-text').stdout).toMatch(/CA:TRUE, pathlen:0/);
      await expectKmsError(
        kms.issueCertificate({ keyId: h.root, csr, validityDays: 1, pathLength: 2 }),
        'VALIDATION_ERROR',
        ValidationError,
      );
    });

    it("PUT certificate refuses a leaf for someone else's key, and a chain to an unpinned root", async () => {
      const other = await newKey();
      await expectKmsError(
        kms.setKeyCertificate({ keyId: other, certificateChain: h.leafChain, domain: h.trust }),
        'CERTIFICATE_KEY_MISMATCH',
        ValidationError,
      );
      await expectKmsError(
        kms.setKeyCertificate({ keyId: h.leaf, certificateChain: h.leafChain, domain: domain() }),
        'CERTIFICATE_NOT_TRUSTED',
        ValidationError,
      );
      await expectKmsError(
        kms.setKeyCertificate({ keyId: h.leaf, certificateChain: ['garbage'] }),
        'INVALID_CERTIFICATE',
        ValidationError,
      );
      await expectKmsError(kms.getKeyCertificate({ keyId: other }), 'NOT_FOUND', NotFoundError);
      // The refused PUTs left the stored chain as it was.
      expect((await kms.getKeyCertificate({ keyId: h.leaf })).certificateChain).toEqual(h.leafChain);
    });

    it('verify refuses a chain to an unpinned root, and one whose anchor was deleted', async () => {
      const elsewhere = await kms.verifyCertificateChain({ certificateChain: h.leafChain, domain: domain() });
      expect(elsewhere).toMatchObject({ valid: false, reason: 'UNTRUSTED' });
      const d = domain();
      const anchor = await kms.addTrustedCertificate({ certificate: h.rootPem, domain: d });
      expect((await kms.verifyCertificateChain({ certificateChain: h.leafChain, domain: d })).valid).toBe(true);
      await kms.deleteTrustedCertificate({ id: anchor.id });
      const after = await kms.verifyCertificateChain({ certificateChain: h.leafChain, domain: d });
      expect(after).toMatchObject({ valid: false, reason: 'UNTRUSTED' });
      // A missing intermediate: no path.
      const gap = await kms.verifyCertificateChain({ certificateChain: [h.leafChain[0]!], domain: h.trust });
      expect(gap).toMatchObject({ valid: false, reason: 'UNTRUSTED' });
    });

    it('expired and not-yet-valid certificates: verify says so, PUT refuses them', async () => {
      expect(
        await kms.verifyCertificateChain({
          certificateChain: h.leafChain,
          domain: h.trust,
          at: new Date(Date.now() + 40 * DAY_MS),
        }),
      ).toMatchObject({ valid: false, reason: 'EXPIRED' });
      expect(
        await kms.verifyCertificateChain({
          certificateChain: h.leafChain,
          domain: h.trust,
          at: new Date(Date.now() - 2 * DAY_MS),
        }),
      ).toMatchObject({ valid: false, reason: 'NOT_YET_VALID' });
      // A partner CA outside Custos certifies a Custos key, with validity periods in the past and in the future.
      const d = domain();
      const partner = await outsideCertificate({ subject: 'CN=Partner CA' });
      await kms.addTrustedCertificate({ certificate: partner.pem, domain: d });
      const keyId = await newKey();
      const { publicKey } = await kms.getPublicKey({ keyId });
      const expired = await outsideCertificate({
        subject: 'CN=old',
        issuer: partner,
        publicKey,
        ca: false,
        fromDays: -10,
        toDays: -1,
      });
      const future = await outsideCertificate({
        subject: 'CN=new',
        issuer: partner,
        publicKey,
        ca: false,
        fromDays: 2,
        toDays: 9,
      });
      const fine = await outsideCertificate({ subject: 'CN=now', issuer: partner, publicKey, ca: false });
      for (const [cert, reason] of [
        [expired, 'EXPIRED'],
        [future, 'NOT_YET_VALID'],
      ] as const) {
        const chain = [cert.pem, partner.pem];
        expect(await kms.verifyCertificateChain({ certificateChain: chain, domain: d })).toMatchObject({
          valid: false,
          reason,
        });
        await expectKmsError(
          kms.setKeyCertificate({ keyId, certificateChain: chain, domain: d }),
          'CERTIFICATE_NOT_TRUSTED',
        );
      }
      await kms.setKeyCertificate({ keyId, certificateChain: [fine.pem, partner.pem], domain: d });
      expect((await kms.getKeyCertificate({ keyId })).certificateChain[0]).toBe(fine.pem);
      // A self-signed certificate needs no anchor, but must be within its validity period.
      const selfExpired = await outsideCertificate({ subject: 'CN=self', fromDays: -5, toDays: -1 });
      expect(await kms.verifyCertificateChain({ certificateChain: [selfExpired.pem], domain: d })).toMatchObject({
        valid: false,
      });
    });

    it('verify refuses an issuer without CA rights and a pathLength violation, as openssl does', async () => {
      const d = domain();
      const root = await outsideCertificate({ subject: 'CN=Outside Root', pathLength: 0 });
      await kms.addTrustedCertificate({ certificate: root.pem, domain: d });
      const mid = await outsideCertificate({ subject: 'CN=Outside Mid', issuer: root });
      const leaf = await outsideCertificate({ subject: 'CN=Outside Leaf', issuer: mid, ca: false });
      const tooDeep = await kms.verifyCertificateChain({ certificateChain: [leaf.pem, mid.pem], domain: d });
      expect(tooDeep).toMatchObject({ valid: false, reason: 'PATH_LENGTH_EXCEEDED' });
      const f = files('deep', { root: root.pem, mid: mid.pem, leaf: leaf.pem });
      expect(
        openssl('verify', '-CAfile', f['deep-root']!, '-untrusted', f['deep-mid']!, f['deep-leaf']!).status,
      ).not.toBe(0);

      const d2 = domain();
      const root2 = await outsideCertificate({ subject: 'CN=Outside Root 2' });
      await kms.addTrustedCertificate({ certificate: root2.pem, domain: d2 });
      const notCa = await outsideCertificate({ subject: 'CN=Not a CA', issuer: root2, ca: false });
      const below = await outsideCertificate({ subject: 'CN=Below', issuer: notCa, ca: false });
      const verdict = await kms.verifyCertificateChain({ certificateChain: [below.pem, notCa.pem], domain: d2 });
      expect(verdict).toMatchObject({ valid: false, reason: 'NOT_A_CA' });
      expect(verdict.path).toHaveLength(3);
      const g = files('notca', { root: root2.pem, mid: notCa.pem, leaf: below.pem });
      expect(
        openssl('verify', '-CAfile', g['notca-root']!, '-untrusted', g['notca-mid']!, g['notca-leaf']!).status,
      ).not.toBe(0);
      await expectKmsError(
        kms.verifyCertificateChain({
          certificateChain: ['-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'],
        }),
        'INVALID_CERTIFICATE',
      );
    });

    it('trust store: add, list by domain and paged, duplicates refused, delete, unknown id', async () => {
      const d = domain();
      const a = await outsideCertificate({ subject: 'CN=Anchor A' });
      const b = await outsideCertificate({ subject: 'CN=Anchor B' });
      const added = await kms.addTrustedCertificate({ certificate: a.pem, domain: d });
      expect(added).toMatchObject({ subject: 'CN=Anchor A', issuer: 'CN=Anchor A', domain: d });
      expect(added.thumbprint).toMatch(/^[0-9a-f]{64}$/);
      expect(added.notBefore).toBeInstanceOf(Date);
      expect(added.notAfter.getTime()).toBe(a.certificate.notAfter.getTime());
      await expectKmsError(
        kms.addTrustedCertificate({ certificate: a.pem, domain: d }),
        'ALREADY_EXISTS',
        ConflictError,
      );
      await kms.addTrustedCertificate({ certificate: b.pem, domain: d });
      const first = await kms.listTrustedCertificates({ domain: d, limit: 1 });
      expect(first.truncated).toBe(true);
      expect(first.certificates.map((c) => c.subject)).toEqual(['CN=Anchor A']);
      const second = await kms.listTrustedCertificates({ domain: d, limit: 1, marker: first.nextMarker! });
      expect(second.certificates.map((c) => c.subject)).toEqual(['CN=Anchor B']);
      expect(second.truncated).toBe(false);
      const all = await kms.listTrustedCertificates({ limit: 1000 });
      expect(all.certificates.filter((c) => c.domain === d)).toHaveLength(2);
      await expectKmsError(kms.listTrustedCertificates({ marker: 'nope!' }), 'INVALID_MARKER');
      await kms.deleteTrustedCertificate({ id: added.id });
      expect((await kms.listTrustedCertificates({ domain: d })).certificates.map((c) => c.subject)).toEqual([
        'CN=Anchor B',
      ]);
      await expectKmsError(kms.deleteTrustedCertificate({ id: added.id }), 'NOT_FOUND', NotFoundError);
      await expectKmsError(kms.addTrustedCertificate({ certificate: 'x' }), 'INVALID_CERTIFICATE');
      await expectKmsError(kms.addTrustedCertificate({ certificate: a.pem, domain: 'bad domain' }), 'VALIDATION_ERROR');
    });

    it('roles: a key user may make CSRs and issue, not set certificates or change the trust store', async () => {
      const user = await under.asRole('key-user');
      await user.createCsr({ keyId: h.leaf, subject: 'CN=user' });
      expect((await user.getKeyCertificate({ keyId: h.leaf })).certificateChain).toHaveLength(3);
      await expectKmsError(
        user.setKeyCertificate({ keyId: h.leaf, certificateChain: h.leafChain, domain: h.trust }),
        'ACCESS_DENIED',
        AccessDeniedError,
      );
      await expectKmsError(user.addTrustedCertificate({ certificate: h.rootPem }), 'ACCESS_DENIED');
      expect((await user.verifyCertificateChain({ certificateChain: h.leafChain, domain: h.trust })).valid).toBe(true);
      const admin = await under.asRole('key-admin');
      await expectKmsError(admin.createCsr({ keyId: h.leaf, subject: 'CN=admin' }), 'ACCESS_DENIED');
    });

    it('a disabled key makes no CSR and issues nothing, but its certificate can still be read', async () => {
      const keyId = await newKey();
      await kms.createSelfSignedCertificate({ keyId, subject: 'CN=soon disabled', validityDays: 5, isCa: true });
      await kms.disableKey({ keyId });
      await expectKmsError(kms.createCsr({ keyId, subject: 'CN=x' }), 'KEY_DISABLED', InvalidStateError);
      const { csr } = await kms.createCsr({ keyId: h.leaf, subject: 'CN=x' });
      await expectKmsError(kms.issueCertificate({ keyId, csr, validityDays: 1 }), 'KEY_DISABLED');
      expect((await kms.getKeyCertificate({ keyId })).certificateChain).toHaveLength(1);
    });
  });
}
