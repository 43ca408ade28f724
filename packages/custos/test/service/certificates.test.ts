// Certificates in the service: they survive a restart, a forged certificate or trust anchor row is never used
// (INTERNAL), validity follows the service's clock (an expired CA issues nothing), and the audit records of the
// certificate operations name subjects and thumbprints, never certificate or key bytes.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InternalError } from '@custos/contract';
import { sqliteDriver } from '../../src/store/sqlite-driver.js';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';
import { openssl, pemFiles } from '../helpers/x509-outside.js';
import { openTestKms, type TestKms } from './helpers.js';

describe('certificates in the service', () => {
  let t: TestKms;
  let ca: string;
  let caPem: string;
  let leaf: string;
  let leafChain: string[];

  beforeAll(async () => {
    t = await openTestKms();
    const create = async () =>
      (await t.kms.createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' })).keyMetadata.keyId;
    ca = await create();
    leaf = await create();
    caPem = (
      await t.kms.createSelfSignedCertificate({ keyId: ca, subject: 'CN=Clock CA', validityDays: 10, isCa: true })
    ).certificate;
    await t.kms.addTrustedCertificate({ certificate: caPem, domain: 'clock' });
    const { csr } = await t.kms.createCsr({ keyId: leaf, subject: 'CN=Clock Leaf' });
    leafChain = (await t.kms.issueCertificate({ keyId: ca, csr, validityDays: 3 })).certificateChain;
    await t.kms.setKeyCertificate({ keyId: leaf, certificateChain: leafChain, domain: 'clock' });
  });
  afterAll(async () => t?.cleanup());

  it('an Ed25519 CA issues for an RSA-PSS-signed CSR; the trust store and openssl accept the chain', async () => {
    const ed = (await t.kms.createKey({ keySpec: 'ECC_NIST_EDWARDS25519', keyUsage: 'SIGN_VERIFY' })).keyMetadata.keyId;
    const rsa = (await t.kms.createKey({ keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY' })).keyMetadata.keyId;
    const root = await t.kms.createSelfSignedCertificate({
      keyId: ed,
      subject: 'CN=Ed Root',
      validityDays: 5,
      isCa: true,
    });
    await t.kms.addTrustedCertificate({ certificate: root.certificate, domain: 'ed' });
    const { csr } = await t.kms.createCsr({ keyId: rsa, subject: 'CN=pss', signingAlgorithm: 'RSASSA_PSS_SHA_512' });
    const issued = await t.kms.issueCertificate({ keyId: ed, csr, validityDays: 2 });
    await t.kms.setKeyCertificate({ keyId: rsa, certificateChain: issued.certificateChain, domain: 'ed' });
    expect(
      (await t.kms.verifyCertificateChain({ certificateChain: issued.certificateChain, domain: 'ed' })).valid,
    ).toBe(true);
    const files = pemFiles(t.dir, { edroot: root.certificate, edleaf: issued.certificate });
    expect(openssl('verify', '-CAfile', files.edroot!, files.edleaf!).status).toBe(0);
  });

  it('a self-signed certificate with a pathLength but no isCa is refused, and nothing is stored', async () => {
    const keyId = (await t.kms.createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' })).keyMetadata.keyId;
    await expectKmsError(
      t.kms.createSelfSignedCertificate({ keyId, subject: 'CN=x', validityDays: 1, pathLength: 0 }),
      'VALIDATION_ERROR',
    );
    await expectKmsError(t.kms.getKeyCertificate({ keyId }), 'NOT_FOUND');
  });

  it('key certificates and trust anchors survive a restart', async () => {
    await t.reopen();
    expect((await t.kms.getKeyCertificate({ keyId: leaf })).certificateChain).toEqual(leafChain);
    expect((await t.kms.verifyCertificateChain({ certificateChain: leafChain, domain: 'clock' })).valid).toBe(true);
  });

  it('validity follows the clock: an expired leaf fails verification, an expired CA issues nothing', async () => {
    t.clock.advanceDays(5);
    expect(await t.kms.verifyCertificateChain({ certificateChain: leafChain, domain: 'clock' })).toMatchObject({
      valid: false,
      reason: 'EXPIRED',
    });
    await expectKmsError(
      t.kms.setKeyCertificate({ keyId: leaf, certificateChain: leafChain, domain: 'clock' }),
      'CERTIFICATE_NOT_TRUSTED',
    );
    t.clock.advanceDays(10);
    const { csr } = await t.kms.createCsr({ keyId: leaf, subject: 'CN=late' });
    await expectKmsError(t.kms.issueCertificate({ keyId: ca, csr, validityDays: 1 }), 'ISSUER_NOT_CA');
  });

  it('audit records name subjects and thumbprints, never certificate, CSR or key bytes', async () => {
    const db = new (sqliteDriver())(join(t.dir, 'custos.db'), { readonly: true });
    try {
      const ours = db
        .prepare(
          `select operation, outcome, details from audit_log where operation in
           ('CreateCsr', 'IssueCertificate', 'SetKeyCertificate', 'CreateSelfSignedCertificate', 'AddTrustedCertificate')`,
        )
        .all() as { operation: string; outcome: string; details: string | null }[];
      expect(new Set(ours.map((r) => r.operation)).size).toBe(5);
      const text = JSON.stringify(ours);
      expect(text).not.toContain('BEGIN');
      expect(text).not.toContain(caPem.split('\n')[1]!.slice(0, 40));
      const issued = ours.find((r) => r.operation === 'IssueCertificate' && r.outcome === 'allowed')!;
      const details = JSON.parse(issued.details!) as Record<string, unknown>;
      expect(details).toMatchObject({ subject: 'CN=Clock Leaf', isCa: false });
      expect(details.thumbprint).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      db.close();
    }
  });

  it('a key certificate row swapped in the database, or a forged trust anchor row, is refused (INTERNAL)', async () => {
    const db = new (sqliteDriver())(join(t.dir, 'custos.db'));
    try {
      // The CA's certificate row, copied onto the leaf's key: its MAC covers the key id, so it does not fit.
      const row = db.prepare('select chain, row_mac from key_certificates where key_id = ?').get(ca) as {
        chain: string;
        row_mac: string;
      };
      db.prepare('update key_certificates set chain = ?, row_mac = ? where key_id = ?').run(
        row.chain,
        row.row_mac,
        leaf,
      );
      await expectKmsError(t.kms.getKeyCertificate({ keyId: leaf }), 'INTERNAL', InternalError);
      db.prepare(`update trusted_certificates set domain = 'forged' where domain = 'clock'`).run();
      await expectKmsError(
        t.kms.verifyCertificateChain({ certificateChain: leafChain, domain: 'forged' }),
        'INTERNAL',
        InternalError,
      );
    } finally {
      db.close();
    }
  });
});
