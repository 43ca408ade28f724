// The token of HSM-protected keys removed mid-use (softhsm2-util --delete-token under a running LocalKms): every call
// on an HSM key fails with UNAVAILABLE (retryable, saying so), createKey writes nothing, and the PIN is in no error or log.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LocalKms } from '../../../src/service/local-kms.js';
import { deleteToken, describeSoftHsm, makeToken, type TestToken } from '../../helpers/softhsm.js';

const PIN = '55102-removed-pin';

describeSoftHsm('an HSM token removed mid-use')('HSM-protected keys when the token is removed mid-use', () => {
  let t: TestToken;
  let dataDir: string;
  let kms: LocalKms;
  const logged: string[] = [];
  beforeAll(async () => {
    t = makeToken(PIN);
    dataDir = await mkdtemp(join(tmpdir(), 'custos-hsm-removed-'));
    kms = await LocalKms.open({
      dataDir,
      rootOfTrust: { kind: 'pkcs11', module: t.module, tokenLabel: t.label, pin: t.pin },
      maintenanceIntervalMs: 0,
      logger: { error: (details, message) => void logged.push(message, JSON.stringify(details)) },
    });
  });
  afterAll(async () => {
    await kms.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers UNAVAILABLE (retryable) for HSM keys, writes no half-made key, names the failure', async () => {
    const hsm = (await kms.createKey({ protectionLevel: 'HSM' })).keyMetadata.keyId;
    const signer = (await kms.createKey({ protectionLevel: 'HSM', keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' }))
      .keyMetadata.keyId;
    const { ciphertextBlob } = await kms.encrypt({ keyId: hsm, plaintext: new Uint8Array([1]) });
    const keysBefore = (await kms.listKeys({})).keys.length;

    deleteToken(t);

    const errors = [
      await kms.encrypt({ keyId: hsm, plaintext: new Uint8Array([2]) }).catch((e: unknown) => e),
      await kms.decrypt({ ciphertextBlob }).catch((e: unknown) => e),
      await kms
        .sign({ keyId: signer, message: new Uint8Array([3]), signingAlgorithm: 'ECDSA_SHA_256' })
        .catch((e: unknown) => e),
      await kms.createKey({ protectionLevel: 'HSM' }).catch((e: unknown) => e),
      await kms.rotateKeyOnDemand({ keyId: hsm }).catch((e: unknown) => e),
    ];
    for (const err of errors) {
      expect(err).toMatchObject({ code: 'UNAVAILABLE' });
      expect((err as Error).message).toMatch(/retry/);
      expect(JSON.stringify(err) + (err as Error).message).not.toContain(PIN);
    }
    expect(logged.join('\n')).not.toContain(PIN);
    expect((await kms.listKeys({})).keys).toHaveLength(keysBefore);
    expect((await kms.describeKey({ keyId: hsm })).keyMetadata.currentKeyVersion).toBe(1);
  });
});
