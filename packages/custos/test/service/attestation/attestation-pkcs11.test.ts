// Attestation under a PKCS#11 root (SoftHSM2): the attestation key is a non-extractable EC pair in the root's token
// labelled `custos-attestation`, made on first need and found by label after a restart; attestations verify to the
// root it signed; an HSM key's attestation says HSM. pkcs11-tool sees the object too.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyAttestation } from '../../../src/core/attestation/verify.js';
import { parseCertificate } from '../../../src/core/certificates/x509.js';
import { labelledSigningKey } from '../../../src/keystore/pkcs11/labelled-key.js';
import { openPkcs11Token, type Pkcs11Token } from '../../../src/keystore/pkcs11/token.js';
import { ATTESTATION_KEY_LABEL } from '../../../src/service/attestation/identity.js';
import { LocalKms } from '../../../src/service/local-kms.js';
import { describeSoftHsm, makeToken, type TestToken } from '../../helpers/softhsm.js';

describeSoftHsm('attestation under a PKCS#11 root')('attestation under a PKCS#11 root (SoftHSM2)', () => {
  let t: TestToken;
  let dataDir: string;
  let kms: LocalKms;
  let probe: Pkcs11Token;
  const open = () =>
    LocalKms.open({
      dataDir,
      rootOfTrust: { kind: 'pkcs11', module: t.module, tokenLabel: t.label, pin: t.pin },
      maintenanceIntervalMs: 0,
    });

  beforeAll(async () => {
    t = makeToken('5150-attest');
    dataDir = await mkdtemp(join(tmpdir(), 'custos-attest-p11-'));
    kms = await open();
    probe = await openPkcs11Token({ module: t.module, tokenLabel: t.label, pin: t.pin });
  });
  afterAll(async () => {
    await kms.close();
    await probe.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** The attestation key's private object attributes, read on the token. */
  const privateAttributes = (): Promise<{ extractable: boolean; sensitive: boolean }> =>
    probe.run('C_GetAttributeValue', ({ lib, p11, session }) => {
      p11.C_FindObjectsInit(session, [
        { type: lib.CKA_CLASS, value: lib.CKO_PRIVATE_KEY },
        { type: lib.CKA_LABEL, value: ATTESTATION_KEY_LABEL },
      ]);
      const [handle] = p11.C_FindObjects(session, 2);
      p11.C_FindObjectsFinal(session);
      const [extractable, sensitive] = p11.C_GetAttributeValue(session, handle!, [
        { type: lib.CKA_EXTRACTABLE },
        { type: lib.CKA_SENSITIVE },
      ]);
      return Promise.resolve({ extractable: extractable!.value[0] === 1, sensitive: sensitive!.value[0] === 1 });
    });

  it('makes the attestation key in the token (non-extractable, labelled) and certifies with it', async () => {
    const keyId = (await kms.createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' })).keyMetadata.keyId;
    const challenge = randomBytes(32);
    const { certificateChain } = await kms.attestKey({ keyId, challenge });
    const { certificates } = await kms.getAttestationRoots({});
    const verdict = await verifyAttestation(
      certificateChain.join(''),
      certificates.join(''),
      challenge.toString('hex'),
      new Date(),
    );
    expect(verdict).toMatchObject({ valid: true, properties: { keyId, protectionLevel: 'SOFTWARE' } });

    // The root's key is the token's `custos-attestation` pair.
    const inToken = await labelledSigningKey(probe, ATTESTATION_KEY_LABEL);
    const root = parseCertificate(certificates[0]!);
    expect(Buffer.from(root.publicKey.rawData).equals(Buffer.from(inToken.publicKey!))).toBe(true);
    expect(await privateAttributes()).toEqual({ extractable: false, sensitive: true });
    const listed = execFileSync(
      'pkcs11-tool',
      [
        '--module',
        t.module,
        '--token-label',
        t.label,
        '--login',
        '--pin',
        t.pin,
        '--list-objects',
        '--type',
        'privkey',
      ],
      { env: { ...process.env, SOFTHSM2_CONF: t.conf }, encoding: 'utf8' },
    );
    expect(listed).toContain(`label:      ${ATTESTATION_KEY_LABEL}`);
  });

  it("an HSM key's attestation says HSM, a symmetric HSM key's JWS too", async () => {
    const pair = (await kms.createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY', protectionLevel: 'HSM' }))
      .keyMetadata.keyId;
    const secret = (await kms.createKey({ protectionLevel: 'HSM' })).keyMetadata.keyId;
    const roots = (await kms.getAttestationRoots({})).certificates.join('');
    const challenge = randomBytes(16);
    const x = await kms.attestKey({ keyId: pair, challenge });
    expect(
      await verifyAttestation(x.certificateChain.join(''), roots, challenge.toString('hex'), new Date()),
    ).toMatchObject({ valid: true, format: 'X509', properties: { protectionLevel: 'HSM', origin: 'GENERATED' } });
    const j = await kms.attestKey({ keyId: secret, challenge });
    expect(await verifyAttestation(j.jws!, roots, challenge.toString('hex'), new Date())).toMatchObject({
      valid: true,
      format: 'JWS',
      properties: { protectionLevel: 'HSM', keySpec: 'SYMMETRIC_DEFAULT' },
    });
  });

  it('finds the same key by label after a restart: the roots stay, no second key is made', async () => {
    const before = (await kms.getAttestationRoots({})).certificates;
    await kms.close();
    kms = await open();
    expect((await kms.getAttestationRoots({})).certificates).toEqual(before);
    const count = await probe.run('C_FindObjects', ({ lib, p11, session }) => {
      p11.C_FindObjectsInit(session, [{ type: lib.CKA_LABEL, value: ATTESTATION_KEY_LABEL }]);
      const found = p11.C_FindObjects(session, 10);
      p11.C_FindObjectsFinal(session);
      return Promise.resolve(found.length);
    });
    expect(count).toBe(2); // one pair: its private and public halves
  });
});
