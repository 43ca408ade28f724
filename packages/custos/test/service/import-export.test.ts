// Bring-your-own-key (GetParametersForImport, ImportKeyMaterial, DeleteImportedKeyMaterial) and ExportKey through
// LocalKms: known material goes in wrapped client-side with wrapForImport, and is proven to be the key in use.
import {
  constants,
  createCipheriv,
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  publicEncrypt,
  randomBytes,
  verify as nodeVerify,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportKeyMaterialRequest, KeyUsage, WrappingAlgorithm, WrappingKeySpec } from '@custos/contract';
import { KEY_SPEC_ENTRIES, KEY_SPEC_TABLE, isSymmetric, type KeySpecEntry } from '../../src/core/key-specs.js';
import { wrapForImport, type LocalKms } from '../../src/index.js';
import { openTestKms, text, utf8, type TestKms } from './helpers.js';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';

const WRAPPING_ALGORITHMS: readonly WrappingAlgorithm[] = [
  'RSAES_OAEP_SHA_1',
  'RSAES_OAEP_SHA_256',
  'RSA_AES_KEY_WRAP_SHA_1',
  'RSA_AES_KEY_WRAP_SHA_256',
];
const HOUR_MS = 60 * 60 * 1000;

const der = (key: KeyObject, type: 'pkcs8' | 'spki'): Uint8Array =>
  new Uint8Array(
    type === 'pkcs8' ? key.export({ type: 'pkcs8', format: 'der' }) : key.export({ type: 'spki', format: 'der' }),
  );

interface ImportOptions extends Partial<Pick<ImportKeyMaterialRequest, 'validTo' | 'expirationModel'>> {
  readonly wrappingAlgorithm?: WrappingAlgorithm;
  readonly wrappingKeySpec?: WrappingKeySpec;
}

/** GetParametersForImport, wrap `material` client-side, ImportKeyMaterial. */
async function importInto(kms: LocalKms, keyId: string, material: Uint8Array, options: ImportOptions = {}) {
  const { wrappingAlgorithm = 'RSA_AES_KEY_WRAP_SHA_256', wrappingKeySpec = 'RSA_2048', ...rest } = options;
  const params = await kms.getParametersForImport({ keyId, wrappingAlgorithm, wrappingKeySpec });
  const encryptedKeyMaterial = wrapForImport(wrappingAlgorithm, params.publicKey, material);
  return kms.importKeyMaterial({ keyId, importToken: params.importToken, encryptedKeyMaterial, ...rest });
}

async function externalKey(
  kms: LocalKms,
  keySpec: KeySpecEntry['name'] = 'SYMMETRIC_DEFAULT',
  keyUsage?: KeyUsage,
  exportable = false,
): Promise<string> {
  const { keyMetadata } = await kms.createKey({
    keySpec,
    ...(keyUsage ? { keyUsage } : {}),
    origin: 'EXTERNAL',
    exportable,
  });
  return keyMetadata.keyId;
}

describe('LocalKms import of key material', () => {
  let t: TestKms;
  const aesMaterial = new Uint8Array(randomBytes(32));
  const hmacMaterial = new Uint8Array(randomBytes(32));
  let p256: { publicKey: KeyObject; privateKey: KeyObject };
  let rsa: { publicKey: KeyObject; privateKey: KeyObject };

  beforeAll(async () => {
    t = await openTestKms();
    p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  });
  afterAll(async () => t?.cleanup());

  it('createKey with origin EXTERNAL makes a PendingImport key that refuses crypto with INVALID_KEY_STATE', async () => {
    const { keyMetadata } = await t.kms.createKey({ origin: 'EXTERNAL' });
    expect(keyMetadata.keyState).toBe('PendingImport');
    expect(keyMetadata.origin).toBe('EXTERNAL');
    expect(keyMetadata.enabled).toBe(false);
    await expectKmsError(t.kms.encrypt({ keyId: keyMetadata.keyId, plaintext: utf8('x') }), 'INVALID_KEY_STATE');
    await expectKmsError(t.kms.generateDataKey({ keyId: keyMetadata.keyId, keySpec: 'AES_256' }), 'INVALID_KEY_STATE');
    const signing = await externalKey(t.kms, 'ECC_NIST_P256', 'SIGN_VERIFY');
    await expectKmsError(
      t.kms.sign({ keyId: signing, message: utf8('m'), signingAlgorithm: 'ECDSA_SHA_256' }),
      'INVALID_KEY_STATE',
    );
    await expectKmsError(t.kms.getPublicKey({ keyId: signing }), 'INVALID_KEY_STATE');
  });

  describe('imports AES-256 material with every wrapping algorithm', () => {
    const cases: [WrappingAlgorithm, WrappingKeySpec][] = [
      ...WRAPPING_ALGORITHMS.map((a): [WrappingAlgorithm, WrappingKeySpec] => [a, 'RSA_2048']),
      ['RSAES_OAEP_SHA_256', 'RSA_3072'],
      ['RSA_AES_KEY_WRAP_SHA_1', 'RSA_4096'],
    ];
    for (const [wrappingAlgorithm, wrappingKeySpec] of cases) {
      it(`${wrappingAlgorithm} with a ${wrappingKeySpec} wrapping key: the key holds exactly the known bytes`, async () => {
        const id = await externalKey(t.kms, 'SYMMETRIC_DEFAULT', undefined, true);
        const params = await t.kms.getParametersForImport({ keyId: id, wrappingAlgorithm, wrappingKeySpec });
        const wrappingKey = createPublicKey({ key: Buffer.from(params.publicKey), format: 'der', type: 'spki' });
        expect(wrappingKey.asymmetricKeyType).toBe('rsa');
        expect(wrappingKey.asymmetricKeyDetails?.modulusLength).toBe(KEY_SPEC_TABLE[wrappingKeySpec].modulusBits);
        expect(params.parametersValidTo.getTime()).toBe(t.clock.now().getTime() + 24 * HOUR_MS);
        await t.kms.importKeyMaterial({
          keyId: id,
          importToken: params.importToken,
          encryptedKeyMaterial: wrapForImport(wrappingAlgorithm, params.publicKey, aesMaterial),
        });
        const { keyMetadata } = await t.kms.describeKey({ keyId: id });
        expect(keyMetadata.keyState).toBe('Enabled');
        expect(keyMetadata.expirationModel).toBe('KEY_MATERIAL_DOES_NOT_EXPIRE');
        const { jwk } = await t.kms.exportKey({ keyId: id, format: 'JWK' });
        expect(Buffer.from(jwk!.k!, 'base64url').equals(Buffer.from(aesMaterial))).toBe(true);
        const enc = await t.kms.encrypt({ keyId: id, plaintext: utf8('imported') });
        expect(text((await t.kms.decrypt({ ciphertextBlob: enc.ciphertextBlob })).plaintext)).toBe('imported');
      });
    }
  });

  it('imports HMAC_256 material: generateMac equals node createHmac with the known key', async () => {
    const id = await externalKey(t.kms, 'HMAC_256');
    await importInto(t.kms, id, hmacMaterial, { wrappingAlgorithm: 'RSAES_OAEP_SHA_1' });
    const message = utf8('mac me');
    const { mac } = await t.kms.generateMac({ keyId: id, message, macAlgorithm: 'HMAC_SHA_256' });
    expect(Buffer.from(mac).equals(createHmac('sha256', hmacMaterial).update(message).digest())).toBe(true);
  });

  it('imports an EC P-256 PKCS#8 key: Custos signatures verify under the known public key', async () => {
    const id = await externalKey(t.kms, 'ECC_NIST_P256', 'SIGN_VERIFY');
    await importInto(t.kms, id, der(p256.privateKey, 'pkcs8'), { wrappingAlgorithm: 'RSAES_OAEP_SHA_256' });
    const { publicKey } = await t.kms.getPublicKey({ keyId: id });
    expect(Buffer.from(publicKey).equals(Buffer.from(der(p256.publicKey, 'spki')))).toBe(true);
    const message = utf8('signed by imported key');
    const { signature } = await t.kms.sign({ keyId: id, message, signingAlgorithm: 'ECDSA_SHA_256' });
    expect(nodeVerify('sha256', message, p256.publicKey, signature)).toBe(true);
  });

  it('imports an RSA_2048 PKCS#8 key: node OAEP ciphertexts under the known public key decrypt in Custos', async () => {
    const id = await externalKey(t.kms, 'RSA_2048', 'ENCRYPT_DECRYPT');
    await importInto(t.kms, id, der(rsa.privateKey, 'pkcs8'), { wrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256' });
    const ciphertextBlob = publicEncrypt(
      { key: rsa.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
      utf8('to the imported key'),
    );
    const dec = await t.kms.decrypt({ ciphertextBlob, keyId: id, encryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
    expect(text(dec.plaintext)).toBe('to the imported key');
  });

  describe('refuses bad requests', () => {
    it('validTo in the past fails with VALIDATION_ERROR', async () => {
      const id = await externalKey(t.kms);
      await expectKmsError(
        importInto(t.kms, id, aesMaterial, { validTo: new Date(t.clock.now().getTime() - 1000) }),
        'VALIDATION_ERROR',
      );
      await expectKmsError(importInto(t.kms, id, aesMaterial, { validTo: t.clock.now() }), 'VALIDATION_ERROR');
    });

    it('an expirationModel that contradicts validTo fails with VALIDATION_ERROR', async () => {
      const id = await externalKey(t.kms);
      const later = new Date(t.clock.now().getTime() + HOUR_MS);
      await expectKmsError(
        importInto(t.kms, id, aesMaterial, { expirationModel: 'KEY_MATERIAL_EXPIRES' }),
        'VALIDATION_ERROR',
      );
      await expectKmsError(
        importInto(t.kms, id, aesMaterial, { expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', validTo: later }),
        'VALIDATION_ERROR',
      );
      expect((await t.kms.describeKey({ keyId: id })).keyMetadata.keyState).toBe('PendingImport');
    });

    it('a garbage import token fails with INVALID_IMPORT_TOKEN', async () => {
      const id = await externalKey(t.kms);
      const params = await t.kms.getParametersForImport({
        keyId: id,
        wrappingAlgorithm: 'RSAES_OAEP_SHA_256',
        wrappingKeySpec: 'RSA_2048',
      });
      const encryptedKeyMaterial = wrapForImport('RSAES_OAEP_SHA_256', params.publicKey, aesMaterial);
      for (const importToken of [
        new Uint8Array(randomBytes(40)),
        new Uint8Array([1, ...randomBytes(16)]),
        params.importToken.subarray(0, 10),
      ]) {
        await expectKmsError(
          t.kms.importKeyMaterial({ keyId: id, importToken, encryptedKeyMaterial }),
          'INVALID_IMPORT_TOKEN',
        );
      }
    });

    it("another key's import token fails with INVALID_IMPORT_TOKEN", async () => {
      const id = await externalKey(t.kms);
      const other = await externalKey(t.kms);
      const params = await t.kms.getParametersForImport({
        keyId: other,
        wrappingAlgorithm: 'RSAES_OAEP_SHA_256',
        wrappingKeySpec: 'RSA_2048',
      });
      const encryptedKeyMaterial = wrapForImport('RSAES_OAEP_SHA_256', params.publicKey, aesMaterial);
      await expectKmsError(
        t.kms.importKeyMaterial({ keyId: id, importToken: params.importToken, encryptedKeyMaterial }),
        'INVALID_IMPORT_TOKEN',
      );
      expect((await t.kms.describeKey({ keyId: id })).keyMetadata.keyState).toBe('PendingImport');
    });

    it('wrong-size material fails with INVALID_KEY_MATERIAL; the key stays PendingImport with nothing written', async () => {
      const id = await externalKey(t.kms, 'SYMMETRIC_DEFAULT', undefined, true);
      await expectKmsError(importInto(t.kms, id, aesMaterial.subarray(0, 31)), 'INVALID_KEY_MATERIAL');
      await expectKmsError(importInto(t.kms, id, new Uint8Array(randomBytes(33))), 'INVALID_KEY_MATERIAL');
      expect((await t.kms.describeKey({ keyId: id })).keyMetadata.keyState).toBe('PendingImport');
      // Nothing was recorded: the first good material is accepted (no INCORRECT_KEY_MATERIAL) and is the one in use.
      await importInto(t.kms, id, aesMaterial);
      const { jwk } = await t.kms.exportKey({ keyId: id, format: 'JWK' });
      expect(Buffer.from(jwk!.k!, 'base64url').equals(Buffer.from(aesMaterial))).toBe(true);
    });

    it('a P-384 private key imported into a P-256 key fails with INVALID_KEY_MATERIAL', async () => {
      const id = await externalKey(t.kms, 'ECC_NIST_P256', 'SIGN_VERIFY');
      const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
      await expectKmsError(importInto(t.kms, id, der(p384.privateKey, 'pkcs8')), 'INVALID_KEY_MATERIAL');
      await expectKmsError(importInto(t.kms, id, aesMaterial), 'INVALID_KEY_MATERIAL');
      expect((await t.kms.describeKey({ keyId: id })).keyMetadata.keyState).toBe('PendingImport');
      await importInto(t.kms, id, der(p256.privateKey, 'pkcs8'));
      expect((await t.kms.describeKey({ keyId: id })).keyMetadata.keyState).toBe('Enabled');
    });

    for (const wrappingAlgorithm of WRAPPING_ALGORITHMS) {
      it(`tampered encryptedKeyMaterial (${wrappingAlgorithm}) fails with INVALID_KEY_MATERIAL`, async () => {
        const id = await externalKey(t.kms);
        const params = await t.kms.getParametersForImport({
          keyId: id,
          wrappingAlgorithm,
          wrappingKeySpec: 'RSA_2048',
        });
        const wrapped = wrapForImport(wrappingAlgorithm, params.publicKey, aesMaterial);
        for (const at of [5, wrapped.length - 3]) {
          const tampered = new Uint8Array(wrapped);
          tampered[at]! ^= 0x40;
          await expectKmsError(
            t.kms.importKeyMaterial({ keyId: id, importToken: params.importToken, encryptedKeyMaterial: tampered }),
            'INVALID_KEY_MATERIAL',
          );
        }
        await expectKmsError(
          t.kms.importKeyMaterial({
            keyId: id,
            importToken: params.importToken,
            encryptedKeyMaterial: wrapped.subarray(0, wrapped.length - 8),
          }),
          'INVALID_KEY_MATERIAL',
        );
        expect((await t.kms.describeKey({ keyId: id })).keyMetadata.keyState).toBe('PendingImport');
      });
    }

    for (const [wrappingAlgorithm, oaepHash] of [
      ['RSA_AES_KEY_WRAP_SHA_1', 'sha1'],
      ['RSA_AES_KEY_WRAP_SHA_256', 'sha256'],
    ] as const) {
      it(`${wrappingAlgorithm} with a well-formed wrap under a 16- or 24-byte AES key (not 32) fails with INVALID_KEY_MATERIAL`, async () => {
        const id = await externalKey(t.kms, 'SYMMETRIC_DEFAULT', undefined, true);
        const params = await t.kms.getParametersForImport({
          keyId: id,
          wrappingAlgorithm,
          wrappingKeySpec: 'RSA_2048',
        });
        // Built by hand, as a client would: RSA-OAEP of the temporary AES key, then AES-KWP (RFC 5649) of the material.
        const wrappingKey = createPublicKey({ key: Buffer.from(params.publicKey), format: 'der', type: 'spki' });
        const wrapUnder = (aesKey: Buffer): Uint8Array => {
          const head = publicEncrypt({ key: wrappingKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, aesKey);
          const kwp = createCipheriv(`id-aes${aesKey.length * 8}-wrap-pad`, aesKey, Buffer.from('a65959a6', 'hex'));
          return Buffer.concat([head, kwp.update(aesMaterial), kwp.final()]);
        };
        for (const length of [16, 24]) {
          const encryptedKeyMaterial = wrapUnder(randomBytes(length));
          await expectKmsError(
            t.kms.importKeyMaterial({ keyId: id, importToken: params.importToken, encryptedKeyMaterial }),
            'INVALID_KEY_MATERIAL',
          );
        }
        expect((await t.kms.describeKey({ keyId: id })).keyMetadata.keyState).toBe('PendingImport');
        // The same construction under a 32-byte key is accepted: only the temporary key's size was refused.
        await t.kms.importKeyMaterial({
          keyId: id,
          importToken: params.importToken,
          encryptedKeyMaterial: wrapUnder(randomBytes(32)),
        });
        const { jwk } = await t.kms.exportKey({ keyId: id, format: 'JWK' });
        expect(Buffer.from(jwk!.k!, 'base64url').equals(Buffer.from(aesMaterial))).toBe(true);
      });
    }

    it('getParametersForImport and importKeyMaterial on a key not created EXTERNAL fail with UNSUPPORTED', async () => {
      const { keyMetadata } = await t.kms.createKey({});
      await expectKmsError(
        t.kms.getParametersForImport({
          keyId: keyMetadata.keyId,
          wrappingAlgorithm: 'RSAES_OAEP_SHA_256',
          wrappingKeySpec: 'RSA_2048',
        }),
        'UNSUPPORTED',
      );
      const donor = await externalKey(t.kms);
      const params = await t.kms.getParametersForImport({
        keyId: donor,
        wrappingAlgorithm: 'RSAES_OAEP_SHA_256',
        wrappingKeySpec: 'RSA_2048',
      });
      await expectKmsError(
        t.kms.importKeyMaterial({
          keyId: keyMetadata.keyId,
          importToken: params.importToken,
          encryptedKeyMaterial: wrapForImport('RSAES_OAEP_SHA_256', params.publicKey, aesMaterial),
        }),
        'UNSUPPORTED',
      );
      await expectKmsError(t.kms.deleteImportedKeyMaterial({ keyId: keyMetadata.keyId }), 'UNSUPPORTED');
    });
  });

  describe('deleteImportedKeyMaterial and re-import', () => {
    it('returns the key to PendingImport; the same material brings it back and old ciphertexts decrypt again', async () => {
      const id = await externalKey(t.kms);
      await importInto(t.kms, id, aesMaterial);
      const { ciphertextBlob } = await t.kms.encrypt({
        keyId: id,
        plaintext: utf8('before delete'),
        encryptionContext: { a: 'b' },
      });
      await t.kms.deleteImportedKeyMaterial({ keyId: id });
      expect((await t.kms.describeKey({ keyId: id })).keyMetadata.keyState).toBe('PendingImport');
      await expectKmsError(t.kms.encrypt({ keyId: id, plaintext: utf8('x') }), 'INVALID_KEY_STATE');
      await expectKmsError(t.kms.decrypt({ ciphertextBlob, encryptionContext: { a: 'b' } }), 'INVALID_KEY_STATE');
      await importInto(t.kms, id, aesMaterial, { wrappingAlgorithm: 'RSAES_OAEP_SHA_1' });
      expect((await t.kms.describeKey({ keyId: id })).keyMetadata.keyState).toBe('Enabled');
      const dec = await t.kms.decrypt({ ciphertextBlob, encryptionContext: { a: 'b' } });
      expect(text(dec.plaintext)).toBe('before delete');
    });

    it('re-import of a deleted asymmetric key with the same PKCS#8 key works; signatures verify as before', async () => {
      const id = await externalKey(t.kms, 'ECC_NIST_P256', 'SIGN_VERIFY');
      await importInto(t.kms, id, der(p256.privateKey, 'pkcs8'));
      await t.kms.deleteImportedKeyMaterial({ keyId: id });
      await expectKmsError(
        t.kms.sign({ keyId: id, message: utf8('m'), signingAlgorithm: 'ECDSA_SHA_256' }),
        'INVALID_KEY_STATE',
      );
      await importInto(t.kms, id, der(p256.privateKey, 'pkcs8'));
      const { signature } = await t.kms.sign({ keyId: id, message: utf8('m'), signingAlgorithm: 'ECDSA_SHA_256' });
      expect(nodeVerify('sha256', utf8('m'), p256.publicKey, signature)).toBe(true);
    });

    it('re-import of different material fails with INCORRECT_KEY_MATERIAL, after deletion and while enabled', async () => {
      const id = await externalKey(t.kms);
      await importInto(t.kms, id, aesMaterial);
      const { ciphertextBlob } = await t.kms.encrypt({ keyId: id, plaintext: utf8('keep') });
      await expectKmsError(importInto(t.kms, id, new Uint8Array(randomBytes(32))), 'INCORRECT_KEY_MATERIAL');
      expect(text((await t.kms.decrypt({ ciphertextBlob })).plaintext)).toBe('keep');
      await t.kms.deleteImportedKeyMaterial({ keyId: id });
      await expectKmsError(importInto(t.kms, id, new Uint8Array(randomBytes(32))), 'INCORRECT_KEY_MATERIAL');
      expect((await t.kms.describeKey({ keyId: id })).keyMetadata.keyState).toBe('PendingImport');
    });
  });
});

describe('LocalKms import: time-limited tokens and material', () => {
  let t: TestKms;
  beforeAll(async () => {
    t = await openTestKms();
  });
  afterAll(async () => t?.cleanup());

  it('an import token used after 24 hours fails with EXPIRED_IMPORT_TOKEN', async () => {
    const id = await externalKey(t.kms);
    const params = await t.kms.getParametersForImport({
      keyId: id,
      wrappingAlgorithm: 'RSAES_OAEP_SHA_256',
      wrappingKeySpec: 'RSA_2048',
    });
    const encryptedKeyMaterial = wrapForImport('RSAES_OAEP_SHA_256', params.publicKey, new Uint8Array(randomBytes(32)));
    t.clock.advanceMs(24 * HOUR_MS + 1);
    await expectKmsError(
      t.kms.importKeyMaterial({ keyId: id, importToken: params.importToken, encryptedKeyMaterial }),
      'EXPIRED_IMPORT_TOKEN',
    );
    expect((await t.kms.describeKey({ keyId: id })).keyMetadata.keyState).toBe('PendingImport');
  });

  it('material with validTo expires: after validTo, maintenance returns the key to PendingImport', async () => {
    const id = await externalKey(t.kms);
    const validTo = new Date(t.clock.now().getTime() + HOUR_MS);
    await importInto(t.kms, id, new Uint8Array(randomBytes(32)), { validTo, expirationModel: 'KEY_MATERIAL_EXPIRES' });
    const before = (await t.kms.describeKey({ keyId: id })).keyMetadata;
    expect(before.keyState).toBe('Enabled');
    expect(before.expirationModel).toBe('KEY_MATERIAL_EXPIRES');
    expect(before.validTo?.getTime()).toBe(validTo.getTime());
    expect((await t.kms.runMaintenance()).expired).toBe(0);
    expect((await t.kms.describeKey({ keyId: id })).keyMetadata.keyState).toBe('Enabled');
    t.clock.advanceMs(HOUR_MS + 1);
    const report = await t.kms.runMaintenance();
    expect(report.expired).toBe(1);
    const after = (await t.kms.describeKey({ keyId: id })).keyMetadata;
    expect(after.keyState).toBe('PendingImport');
    expect(after.validTo).toBeUndefined();
    await expectKmsError(t.kms.encrypt({ keyId: id, plaintext: utf8('x') }), 'INVALID_KEY_STATE');
  });

  it('expired material is refused at once, before maintenance runs, and the key reads as PendingImport', async () => {
    const id = await externalKey(t.kms);
    await importInto(t.kms, id, new Uint8Array(randomBytes(32)), {
      validTo: new Date(t.clock.now().getTime() + HOUR_MS),
    });
    const { ciphertextBlob } = await t.kms.encrypt({ keyId: id, plaintext: utf8('x') });
    t.clock.advanceMs(HOUR_MS + 1);
    await expectKmsError(t.kms.encrypt({ keyId: id, plaintext: utf8('x') }), 'INVALID_KEY_STATE');
    await expectKmsError(t.kms.decrypt({ ciphertextBlob }), 'INVALID_KEY_STATE');
    const meta = (await t.kms.describeKey({ keyId: id })).keyMetadata;
    expect(meta.keyState).toBe('PendingImport');
    expect(meta.enabled).toBe(false);
    expect((await t.kms.runMaintenance()).expired).toBe(1);
  });
});

describe('LocalKms exportKey', () => {
  let t: TestKms;
  const SPECS = KEY_SPEC_ENTRIES;
  const smallestRsa = Math.min(...SPECS.filter((s) => s.family.name === 'rsa').map((s) => s.modulusBits!));
  // One exportable key per spec, in its first usage (RSA: the smallest modulus only, generation is slow).
  // Post-quantum exports (AKP JWK, seed-only PKCS#8) are in test/contract/pq-contract.ts.
  const EXPORTED = SPECS.filter(
    (s) => s.family.material !== 'seed' && (s.family.name !== 'rsa' || s.modulusBits === smallestRsa),
  );
  const ids = new Map<string, string>();

  beforeAll(async () => {
    t = await openTestKms();
    await Promise.all(
      EXPORTED.map(async (spec) => {
        const { keyMetadata } = await t.kms.createKey({ keySpec: spec.name, exportable: true });
        ids.set(spec.name, keyMetadata.keyId);
      }),
    );
  });
  afterAll(async () => t?.cleanup());

  const auditOf = async (keyId: string) =>
    (await t.kms.listAuditRecords({ keyId, limit: 1000 })).records.filter((r) => r.operation === 'ExportKey');

  it('exportKey of a key not created exportable fails with ACCESS_DENIED, audited as denied', async () => {
    const { keyMetadata } = await t.kms.createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' });
    expect(keyMetadata.exportable).toBe(false);
    await expectKmsError(t.kms.exportKey({ keyId: keyMetadata.keyId, format: 'JWK' }), 'ACCESS_DENIED');
    await expectKmsError(t.kms.exportKey({ keyId: keyMetadata.keyId, format: 'PEM' }), 'ACCESS_DENIED');
    const records = await auditOf(keyMetadata.keyId);
    expect(records).toHaveLength(2);
    for (const record of records) {
      expect(record.outcome).toBe('denied');
      expect(record.errorCode).toBe('ACCESS_DENIED');
      expect(record.keyId).toBe(keyMetadata.keyId);
    }
  });

  for (const spec of EXPORTED) {
    if (isSymmetric(spec)) {
      it(`${spec.name} exports as a JWK (kty oct, k of ${spec.keyBytes} bytes) and refuses PEM with UNSUPPORTED`, async () => {
        const id = ids.get(spec.name)!;
        const res = await t.kms.exportKey({ keyId: id, format: 'JWK' });
        expect(res.keyVersion).toBe(1);
        expect(res.jwk!.kty).toBe('oct');
        expect(Buffer.from(res.jwk!.k!, 'base64url').length).toBe(spec.keyBytes);
        expect(res.jwk!.kid).toContain(id);
        expect(res.pem).toBeUndefined();
        await expectKmsError(t.kms.exportKey({ keyId: id, format: 'PEM' }), 'UNSUPPORTED');
      });
    } else {
      it(`${spec.name} exports as a private JWK (with d) and a PKCS#8 PEM, both matching getPublicKey`, async () => {
        const id = ids.get(spec.name)!;
        const { publicKey } = await t.kms.getPublicKey({ keyId: id });
        const jwk = (await t.kms.exportKey({ keyId: id, format: 'JWK' })).jwk!;
        expect(jwk.d).toBeDefined();
        expect(jwk.kty).toBe(spec.family.name === 'rsa' ? 'RSA' : spec.family.name === 'ec' ? 'EC' : 'OKP');
        const fromJwk = createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' });
        expect(createPublicKey(fromJwk).export({ type: 'spki', format: 'der' }).equals(Buffer.from(publicKey))).toBe(
          true,
        );
        const pem = (await t.kms.exportKey({ keyId: id, format: 'PEM' })).pem!;
        expect(pem.startsWith('-----BEGIN PRIVATE KEY-----')).toBe(true);
        const fromPem = createPrivateKey(pem);
        expect(createPublicKey(fromPem).export({ type: 'spki', format: 'der' }).equals(Buffer.from(publicKey))).toBe(
          true,
        );
      });
    }
  }

  it('every successful export is audited as allowed with the key id and version', async () => {
    const id = ids.get('ECC_NIST_P256')!;
    const before = (await auditOf(id)).length;
    await t.kms.exportKey({ keyId: id, format: 'JWK' });
    await t.kms.exportKey({ keyId: id, format: 'PEM' });
    const records = await auditOf(id);
    expect(records).toHaveLength(before + 2);
    for (const record of records.slice(before)) {
      expect(record.outcome).toBe('allowed');
      expect(record.errorCode).toBeNull();
      expect(record.keyId).toBe(id);
      expect(record.keyVersion).toBe(1);
    }
  });

  it('exportKey of an exportable key that is disabled fails with KEY_DISABLED', async () => {
    const id = ids.get('AES_128')!;
    await t.kms.disableKey({ keyId: id });
    await expectKmsError(t.kms.exportKey({ keyId: id, format: 'JWK' }), 'KEY_DISABLED');
    await t.kms.enableKey({ keyId: id });
  });
});
