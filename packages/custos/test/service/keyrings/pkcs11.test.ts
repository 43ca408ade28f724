// Keyrings with a PKCS#11 root (SoftHSM2): the ROOT and Module keys are made and used in the token (protection level
// HSM, no wrapped material), the certificates they sign verify with openssl, and Base keys are sealed under their
// Module key with RSA-OAEP SHA-1 (SoftHSM2 does OAEP with SHA-1 only) and opened through the token.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LocalKms } from '../../../src/service/local-kms.js';
import { sqliteDriver } from '../../../src/store/sqlite-driver.js';
import { openssl, pemFiles } from '../../helpers/x509-outside.js';
import { describeSoftHsm, makeToken } from '../../helpers/softhsm.js';
import { text, utf8 } from '../helpers.js';

const SqliteDatabase = sqliteDriver();
const RING = { applicationId: 'REGISTRATION', referenceId: '10001' };

describeSoftHsm('keyrings with a PKCS#11 root')('keyrings with a PKCS#11 root (SoftHSM2)', () => {
  let kms: LocalKms;
  let dir: string;
  beforeAll(async () => {
    const token = makeToken();
    dir = await mkdtemp(join(tmpdir(), 'custos-keyrings-hsm-'));
    kms = await LocalKms.open({
      dataDir: dir,
      rootOfTrust: { kind: 'pkcs11', module: token.module, tokenLabel: token.label, pin: token.pin },
      maintenanceIntervalMs: 0,
      config: { keyCacheTtlMs: 0 },
      logger: { error: () => undefined },
    });
  });
  afterAll(async () => {
    await kms?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('ROOT and Module keys live in the token; Base keys are software keys sealed under the Module key', async () => {
    const base = await kms.getKeyringCertificate(RING);
    const master = await kms.getKeyringCertificate({ applicationId: 'REGISTRATION' });
    const root = await kms.getKeyringCertificate({ applicationId: 'ROOT' });
    const level = async (keyId: string) => (await kms.describeKey({ keyId })).keyMetadata.protectionLevel;
    expect([await level(root.keyId), await level(master.keyId), await level(base.keyId)]).toEqual([
      'HSM',
      'HSM',
      'SOFTWARE',
    ]);
    const files = pemFiles(dir, { r: root.certificate, m: master.certificate, b: base.certificate });
    expect(openssl('verify', '-CAfile', files.r!, '-untrusted', files.m!, files.b!).stdout).toContain(': OK');
    const db = new SqliteDatabase(join(dir, 'custos.db'), { readonly: true });
    try {
      const rows = db
        .prepare<
          [string, string],
          { key_id: string; wrapped_material: Uint8Array | null; wrapping_key_id: string | null }
        >('select key_id, wrapped_material, wrapping_key_id from key_versions where key_id in (?, ?)')
        .all(master.keyId, base.keyId);
      const byKey = new Map(rows.map((r) => [r.key_id, r]));
      expect(byKey.get(master.keyId)!.wrapped_material).toBeNull();
      expect(byKey.get(base.keyId)!.wrapping_key_id).toBe(master.keyId);
    } finally {
      db.close();
    }
  });

  it('encrypts and decrypts through a Base key opened by the Module key in the token; a CSR of a token key', async () => {
    const { ciphertext } = await kms.keyringEncrypt({ ...RING, data: utf8('through the token') });
    expect(text((await kms.keyringDecrypt({ ...RING, ciphertext })).plaintext)).toBe('through the token');
    const { csr } = await kms.generateKeyringMasterKey({ applicationId: 'REGISTRATION', objectType: 'CSR' });
    const files = pemFiles(dir, { csr: csr! });
    const verified = openssl('req', '-verify', '-noout', '-in', files.csr!);
    expect(verified.status).toBe(0);
    expect(verified.stdout + verified.stderr).toMatch(/verify OK/);
  });
});
