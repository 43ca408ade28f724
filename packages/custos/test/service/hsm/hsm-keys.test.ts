// HSM-protected keys over LocalKms on a SoftHSM2 root of trust: made in the token (no wrapped material in the
// database, only the token object's id), used there for Encrypt/Decrypt/ReEncrypt/GenerateDataKey, Sign (ECDSA,
// RSA-PSS, PKCS#1), RSA-OAEP Decrypt and HMAC, checked against node:crypto; rotation keeps old ciphertexts; deletion
// destroys the objects; and the bad paths: specs the token cannot do, a file root, an object deleted behind our back,
// a database write failing after the token made the object.
import { constants, createPublicKey, publicEncrypt, randomBytes, verify, createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CreateKeyRequest } from '@custos/contract';
import { expectKmsError } from '../../../../contract/test/helpers/expect-kms-error.js';
import { decodeCiphertext } from '../../../src/core/ciphertext/index.js';
import { countTokenObjects, destroyTokenKey } from '../../../src/keystore/pkcs11/token-keys.js';
import { openPkcs11Token, type Pkcs11Token } from '../../../src/keystore/pkcs11/token.js';
import { LocalKms } from '../../../src/service/local-kms.js';
import { sqliteDriver } from '../../../src/store/sqlite-driver.js';
import { describeSoftHsm, makeToken, type TestToken } from '../../helpers/softhsm.js';

const PIN = '31337-hsm-keys-pin';
const DAY = 24 * 60 * 60 * 1000;

interface VersionRow {
  version: number;
  wrapped_material: Uint8Array | null;
  token_object_id: string | null;
  custom_key_store_id: string | null;
  public_key: Uint8Array | null;
}

describeSoftHsm('HSM-protected keys')('HSM-protected keys (LocalKms, SoftHSM2 root)', () => {
  let t: TestToken;
  let dataDir: string;
  let kms: LocalKms;
  let probe: Pkcs11Token;
  let clock = Date.now();
  const logged: string[] = [];

  /** The rows of a key's versions, read from the database as an operator would. */
  function versions(keyId: string): VersionRow[] {
    const db = new (sqliteDriver())(join(dataDir, 'custos.db'), { readonly: true });
    try {
      return db
        .prepare(
          'select version, wrapped_material, token_object_id, custom_key_store_id, public_key from key_versions where key_id = ? order by version',
        )
        .all(keyId) as VersionRow[];
    } finally {
      db.close();
    }
  }

  /** Every object in the token (the root key included). */
  const allObjects = (): Promise<number> =>
    probe.run('C_FindObjects', ({ p11, session }) => {
      p11.C_FindObjectsInit(session, []);
      try {
        return Promise.resolve(p11.C_FindObjects(session, 1000).length);
      } finally {
        p11.C_FindObjectsFinal(session);
      }
    });

  const create = async (request: CreateKeyRequest): Promise<string> =>
    (await kms.createKey({ protectionLevel: 'HSM', ...request })).keyMetadata.keyId;

  beforeAll(async () => {
    t = makeToken(PIN);
    dataDir = await mkdtemp(join(tmpdir(), 'custos-hsm-keys-'));
    kms = await LocalKms.open({
      dataDir,
      rootOfTrust: { kind: 'pkcs11', module: t.module, tokenLabel: t.label, pin: t.pin },
      maintenanceIntervalMs: 0,
      now: () => new Date(clock),
      logger: { error: (details, message) => void logged.push(message, JSON.stringify(details)) },
    });
    probe = await openPkcs11Token({ module: t.module, tokenLabel: t.label, pin: t.pin });
  });
  afterAll(async () => {
    await kms.close();
    await probe.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('makes a symmetric key in the token: describeKey says HSM, the database holds the object id, no material', async () => {
    const keyId = await create({ description: 'in the token' });
    const { keyMetadata } = await kms.describeKey({ keyId });
    expect(keyMetadata).toMatchObject({ protectionLevel: 'HSM', keySpec: 'SYMMETRIC_DEFAULT', keyState: 'Enabled' });
    const [row] = versions(keyId);
    expect(row).toMatchObject({ version: 1, wrapped_material: null, custom_key_store_id: null, public_key: null });
    expect(row!.token_object_id).toMatch(/^[0-9a-f]{32}$/);
    expect(await countTokenObjects(probe, row!.token_object_id!)).toBe(1);
    // A software key beside it is unchanged.
    const software = (await kms.createKey({})).keyMetadata;
    expect(software.protectionLevel).toBe('SOFTWARE');
    expect(versions(software.keyId)[0]!.wrapped_material).not.toBeNull();
  });

  it('encrypts and decrypts in the token, in the software ciphertext format, with the encryption context bound', async () => {
    const keyId = await create({});
    const plaintext = randomBytes(1024);
    const context = { purpose: 'test' };
    const { ciphertextBlob } = await kms.encrypt({ keyId, plaintext, encryptionContext: context });
    const parsed = decodeCiphertext(ciphertextBlob);
    expect(parsed).toMatchObject({ keyId, version: 1 });
    expect(parsed.ciphertext).toHaveLength(1024);
    const decrypted = await kms.decrypt({ ciphertextBlob, encryptionContext: context });
    expect(Buffer.from(decrypted.plaintext)).toEqual(plaintext);
    await expectKmsError(
      kms.decrypt({ ciphertextBlob, encryptionContext: { purpose: 'other' } }),
      'INVALID_CIPHERTEXT',
    );
    const tampered = Uint8Array.from(ciphertextBlob);
    tampered[tampered.length - 1]! ^= 1;
    await expectKmsError(kms.decrypt({ ciphertextBlob: tampered, encryptionContext: context }), 'INVALID_CIPHERTEXT');
  });

  it('generates data keys (random in Node, encrypted in the token) and re-encrypts between HSM and software keys', async () => {
    const keyId = await create({});
    const dataKey = await kms.generateDataKey({ keyId, keySpec: 'AES_256' });
    expect(Buffer.from((await kms.decrypt({ ciphertextBlob: dataKey.ciphertextBlob })).plaintext)).toEqual(
      Buffer.from(dataKey.plaintext),
    );
    const without = await kms.generateDataKeyWithoutPlaintext({ keyId, numberOfBytes: 48 });
    expect((await kms.decrypt({ ciphertextBlob: without.ciphertextBlob })).plaintext).toHaveLength(48);
    const software = (await kms.createKey({})).keyMetadata.keyId;
    const toSoftware = await kms.reEncrypt({ ciphertextBlob: dataKey.ciphertextBlob, destinationKeyId: software });
    const back = await kms.reEncrypt({ ciphertextBlob: toSoftware.ciphertextBlob, destinationKeyId: keyId });
    expect(decodeCiphertext(back.ciphertextBlob).keyId).toBe(keyId);
    expect(Buffer.from((await kms.decrypt({ ciphertextBlob: back.ciphertextBlob })).plaintext)).toEqual(
      Buffer.from(dataKey.plaintext),
    );
  });

  it('rotates into a new token object per version; ciphertexts and MACs of old versions keep working', async () => {
    const keyId = await create({});
    const old = await kms.encrypt({ keyId, plaintext: new Uint8Array([1, 2, 3]) });
    await kms.rotateKeyOnDemand({ keyId });
    const rows = versions(keyId);
    expect(rows.map((r) => r.version)).toEqual([1, 2]);
    expect(rows[1]!.token_object_id).not.toBe(rows[0]!.token_object_id);
    expect(rows.every((r) => r.wrapped_material === null)).toBe(true);
    const fresh = await kms.encrypt({ keyId, plaintext: new Uint8Array([4]) });
    expect(decodeCiphertext(fresh.ciphertextBlob).version).toBe(2);
    expect((await kms.decrypt({ ciphertextBlob: old.ciphertextBlob })).plaintext).toEqual(new Uint8Array([1, 2, 3]));

    const macKey = await create({ keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC' });
    const message = new TextEncoder().encode('mac me');
    const { mac } = await kms.generateMac({ keyId: macKey, macAlgorithm: 'HMAC_SHA_256', message });
    expect(mac).toHaveLength(32);
    await kms.rotateKeyOnDemand({ keyId: macKey });
    const { mac: newMac } = await kms.generateMac({ keyId: macKey, macAlgorithm: 'HMAC_SHA_256', message });
    expect(Buffer.from(newMac)).not.toEqual(Buffer.from(mac));
    for (const m of [mac, newMac])
      expect((await kms.verifyMac({ keyId: macKey, macAlgorithm: 'HMAC_SHA_256', message, mac: m })).macValid).toBe(
        true,
      );
    const wrong = Uint8Array.from(mac);
    wrong[0]! ^= 1;
    await expectKmsError(
      kms.verifyMac({ keyId: macKey, macAlgorithm: 'HMAC_SHA_256', message, mac: wrong }),
      'INVALID_MAC',
    );
  });

  it.each([
    ['ECC_NIST_P256', 'ECDSA_SHA_256', 'sha256'],
    ['ECC_NIST_P384', 'ECDSA_SHA_384', 'sha384'],
    ['RSA_2048', 'RSASSA_PSS_SHA_256', 'sha256'],
    ['RSA_3072', 'RSASSA_PKCS1_V1_5_SHA_384', 'sha384'],
  ] as const)(
    'signs with %s %s in the token: DER/RSA signatures node and Verify accept, RAW and DIGEST',
    async (spec, alg, hash) => {
      const keyId = await create({ keySpec: spec, keyUsage: 'SIGN_VERIFY' });
      const { publicKey } = await kms.getPublicKey({ keyId });
      const spki = createPublicKey({ key: Buffer.from(publicKey), format: 'der', type: 'spki' });
      expect(versions(keyId)[0]!.wrapped_material).toBeNull();
      const message = new TextEncoder().encode(`message for ${alg}`);
      const raw = await kms.sign({ keyId, message, signingAlgorithm: alg });
      const digest = await kms.sign({
        keyId,
        message: createHash(hash).update(message).digest(),
        messageType: 'DIGEST',
        signingAlgorithm: alg,
      });
      const options = alg.startsWith('RSASSA_PSS')
        ? { key: spki, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }
        : spki; // ECDSA: DER, node's default encoding
      for (const { signature } of [raw, digest]) {
        expect(verify(hash, message, options, signature)).toBe(true);
        expect((await kms.verify({ keyId, message, signature, signingAlgorithm: alg })).signatureValid).toBe(true);
      }
      await expectKmsError(
        kms.sign({ keyId, message: new Uint8Array(5), messageType: 'DIGEST', signingAlgorithm: alg }),
        'VALIDATION_ERROR',
      );
    },
  );

  it('decrypts RSA-OAEP in the token; SoftHSM2 does SHA-1 only, so a key allowing SHA-256 is refused at createKey', async () => {
    const before = await allObjects();
    const refused = await create({ keySpec: 'RSA_2048', keyUsage: 'ENCRYPT_DECRYPT' }).catch(
      (e: unknown) => e as Error & { code: string },
    );
    expect(refused).toMatchObject({ code: 'UNSUPPORTED' });
    expect((refused as Error).message).toMatch(/cannot do RSAES_OAEP_SHA_256/);
    expect(await allObjects()).toBe(before); // the probed object is destroyed again

    const keyId = await create({
      keySpec: 'RSA_2048',
      keyUsage: 'ENCRYPT_DECRYPT',
      usageConstraints: { allowedAlgorithms: ['RSAES_OAEP_SHA_1'] },
    });
    const { publicKey } = await kms.getPublicKey({ keyId });
    const spki = createPublicKey({ key: Buffer.from(publicKey), format: 'der', type: 'spki' });
    const secret = randomBytes(32);
    const nodeCt = publicEncrypt({ key: spki, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, secret);
    const out = await kms.decrypt({ keyId, ciphertextBlob: nodeCt, encryptionAlgorithm: 'RSAES_OAEP_SHA_1' });
    expect(Buffer.from(out.plaintext)).toEqual(secret);
    const viaKms = await kms.encrypt({ keyId, plaintext: secret, encryptionAlgorithm: 'RSAES_OAEP_SHA_1' });
    const back = await kms.decrypt({
      keyId,
      ciphertextBlob: viaKms.ciphertextBlob,
      encryptionAlgorithm: 'RSAES_OAEP_SHA_1',
    });
    expect(Buffer.from(back.plaintext)).toEqual(secret);
    await expectKmsError(
      kms.decrypt({ keyId, ciphertextBlob: randomBytes(256), encryptionAlgorithm: 'RSAES_OAEP_SHA_1' }),
      'INVALID_CIPHERTEXT',
    );
  });

  it('refuses, with UNSUPPORTED naming what is missing, what the token cannot do, and makes nothing', async () => {
    const before = await allObjects();
    const keysBefore = (await kms.listKeys({})).keys.length;
    const cases: [CreateKeyRequest, RegExp][] = [
      [{ keySpec: 'ECC_NIST_EDWARDS25519', keyUsage: 'SIGN_VERIFY' }, /ECC_NIST_EDWARDS25519/],
      [{ keySpec: 'ECC_SECG_P256K1', keyUsage: 'SIGN_VERIFY' }, /ECC_SECG_P256K1/],
      [{ keySpec: 'ECC_NIST_P521', keyUsage: 'SIGN_VERIFY' }, /ECC_NIST_P521/],
      [{ keySpec: 'AES_128' }, /AES_128/],
      [{ keySpec: 'ECC_NIST_P256', keyUsage: 'KEY_AGREEMENT' }, /KEY_AGREEMENT/],
      [{ origin: 'EXTERNAL' }, /origin EXTERNAL/],
      [{ exportable: true }, /exportable/],
      [{ keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC', exportable: true }, /exportable/],
    ];
    for (const [request, names] of cases) {
      const err = await create(request).catch((e: unknown) => e as Error & { code: string });
      expect(err, JSON.stringify(request)).toMatchObject({ code: 'UNSUPPORTED' });
      expect((err as Error).message).toMatch(names);
    }
    expect(await allObjects()).toBe(before);
    expect((await kms.listKeys({})).keys).toHaveLength(keysBefore);
  });

  it('destroys the token objects of every version when the key is deleted after its pending window', async () => {
    const keyId = await create({});
    await kms.rotateKeyOnDemand({ keyId });
    const ids = versions(keyId).map((r) => r.token_object_id!);
    const pairId = await create({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' });
    const pairObject = versions(pairId)[0]!.token_object_id!;
    expect(await countTokenObjects(probe, pairObject)).toBe(2); // private and public halves
    await kms.scheduleKeyDeletion({ keyId, pendingWindowInDays: 7 });
    await kms.scheduleKeyDeletion({ keyId: pairId, pendingWindowInDays: 7 });
    clock += 8 * DAY;
    try {
      await kms.runMaintenance();
    } finally {
      clock -= 8 * DAY;
    }
    for (const id of [...ids, pairObject]) expect(await countTokenObjects(probe, id)).toBe(0);
    expect((await kms.describeKey({ keyId })).keyMetadata.keyState).toBe('Destroyed');
    expect(versions(keyId).every((r) => r.token_object_id === null && r.wrapped_material === null)).toBe(true);
  });

  it('fails with a clear INTERNAL error when a key object was deleted behind its back; other keys keep working', async () => {
    const keyId = await create({});
    const { ciphertextBlob } = await kms.encrypt({ keyId, plaintext: new Uint8Array([9]) }); // caches the handle
    const objectId = versions(keyId)[0]!.token_object_id!;
    await destroyTokenKey(probe, objectId);
    const errors = [
      await kms.encrypt({ keyId, plaintext: new Uint8Array([9]) }).catch((e: unknown) => e),
      await kms.decrypt({ ciphertextBlob }).catch((e: unknown) => e),
    ];
    for (const err of errors) {
      expect(err).toMatchObject({ code: 'INTERNAL' });
      expect(JSON.stringify(logged) + (err as Error).message).toContain(objectId);
      expect(JSON.stringify(logged) + (err as Error).message).not.toContain(PIN);
    }
    const other = await create({});
    expect((await kms.encrypt({ keyId: other, plaintext: new Uint8Array([1]) })).ciphertextBlob.length).toBeGreaterThan(
      0,
    );
  });

  it('destroys the token object again when the database write fails after the token made it (nothing half-written)', async () => {
    const before = await allObjects();
    const keysBefore = (await kms.listKeys({})).keys.length;
    const db = new (sqliteDriver())(join(dataDir, 'custos.db'));
    db.exec(
      "create trigger custos_test_fail before insert on key_versions begin select raise(abort, 'disk full'); end",
    );
    try {
      await expect(create({})).rejects.toThrow();
      await expect(create({ keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY' })).rejects.toThrow();
    } finally {
      db.exec('drop trigger custos_test_fail');
      db.close();
    }
    expect(await allObjects()).toBe(before);
    expect((await kms.listKeys({})).keys).toHaveLength(keysBefore);
  });
});

describeSoftHsm('HSM-protected keys on a file root')('HSM-protected keys without a PKCS#11 root', () => {
  it('refuses protectionLevel HSM with UNSUPPORTED naming the missing PKCS#11 token, and makes no key', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'custos-hsm-file-'));
    const kms = await LocalKms.open({ dataDir, maintenanceIntervalMs: 0 });
    try {
      const err = await kms.createKey({ protectionLevel: 'HSM' }).catch((e: unknown) => e as Error & { code: string });
      expect(err).toMatchObject({ code: 'UNSUPPORTED' });
      expect((err as Error).message).toMatch(/PKCS#11/);
      expect((await kms.listKeys({})).keys).toHaveLength(0);
      expect((await kms.createKey({ protectionLevel: 'SOFTWARE' })).keyMetadata.protectionLevel).toBe('SOFTWARE');
    } finally {
      await kms.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
