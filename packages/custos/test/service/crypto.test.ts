// Cryptographic operations through LocalKms, for every key spec and algorithm of the table in core/key-specs.ts:
// round trips, interoperability with node:crypto, and the error codes of every misuse.
import {
  constants,
  createDecipheriv,
  createECDH,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  pbkdf2Sync,
  publicEncrypt,
  randomBytes,
  verify as nodeVerify,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_KEY_PAIR_SPECS, type DerivationAlgorithm, type KeyUsage } from '@custos/contract';
import {
  DIGEST_BYTES,
  HASH_OF,
  isHashedSigning,
  type HashedSigningAlgorithm,
} from '../../src/core/algorithms/digests.js';
import { KEY_SPEC_ENTRIES, KEY_SPEC_TABLE, isSymmetric, type KeySpecEntry } from '../../src/core/key-specs.js';
import { openTestKms, text, utf8, type TestKms } from './helpers.js';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';

const SPECS = KEY_SPEC_ENTRIES;
const SMALLEST_RSA = Math.min(...SPECS.filter((s) => s.family.name === 'rsa').map((s) => s.modulusBits!));

/**
 * One key per (spec, usage) the table allows. Larger RSA moduli are slow to generate, so each larger RSA spec
 * gets one key only, its usages assigned in turn (the smallest RSA spec is tested with every usage).
 */
const PLAN: readonly { spec: KeySpecEntry; usage: KeyUsage }[] = (() => {
  let big = 0;
  return SPECS.flatMap((spec) => {
    if (spec.family.name === 'rsa' && spec.modulusBits! > SMALLEST_RSA)
      return [{ spec, usage: spec.usages[big++ % spec.usages.length]! }];
    return spec.usages.map((usage) => ({ spec, usage }));
  });
})();
const planFor = (usage: KeyUsage) => PLAN.filter((p) => p.usage === usage);
const label = (spec: KeySpecEntry, usage: KeyUsage) => `${spec.name}/${usage}`;

/** The JOSE crv of an EC or OKP spec, which node:crypto takes as a namedCurve too. */
const crvOf = (spec: KeySpecEntry): string => ('crv' in spec.family ? spec.family.crv : undefined) ?? '';
const nodeCurve = (spec: KeySpecEntry): { type: 'ec'; namedCurve: string } | { type: 'x25519' } =>
  spec.name === 'X25519' ? { type: 'x25519' } : { type: 'ec', namedCurve: crvOf(spec) };

function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = new Uint8Array(bytes);
  out[bit >> 3]! ^= 1 << (bit & 7);
  return out;
}

const b64url = (s: string) => new Uint8Array(Buffer.from(s, 'base64url'));

describe('LocalKms cryptographic operations', () => {
  let t: TestKms;
  const ids = new Map<string, string>();
  const keyId = (spec: KeySpecEntry | string, usage: KeyUsage): string => {
    const name = typeof spec === 'string' ? spec : spec.name;
    const id = ids.get(`${name}/${usage}`);
    if (!id) throw new Error(`no test key for ${name}/${usage}`);
    return id;
  };
  let aesA: string;
  let aesB: string;

  beforeAll(async () => {
    t = await openTestKms();
    await Promise.all(
      PLAN.map(async ({ spec, usage }) => {
        const { keyMetadata } = await t.kms.createKey({
          keySpec: spec.name,
          keyUsage: usage,
          exportable: isSymmetric(spec),
        });
        ids.set(label(spec, usage), keyMetadata.keyId);
      }),
    );
    aesA = (await t.kms.createKey({ description: 'A' })).keyMetadata.keyId;
    aesB = (await t.kms.createKey({ description: 'B' })).keyMetadata.keyId;
  });
  afterAll(async () => t?.cleanup());

  describe('encrypt and decrypt', () => {
    for (const { spec } of planFor('ENCRYPT_DECRYPT')) {
      for (const algorithm of spec.encryption) {
        if (algorithm === 'SYMMETRIC_DEFAULT') {
          it(`${spec.name} round-trips without an encryption context, with or without keyId`, async () => {
            const id = keyId(spec, 'ENCRYPT_DECRYPT');
            const enc = await t.kms.encrypt({ keyId: id, plaintext: utf8(`secret ${spec.name}`) });
            expect(enc.encryptionAlgorithm).toBe('SYMMETRIC_DEFAULT');
            expect(enc.keyId).toContain(id);
            const dec = await t.kms.decrypt({ ciphertextBlob: enc.ciphertextBlob });
            expect(text(dec.plaintext)).toBe(`secret ${spec.name}`);
            expect(dec.keyId).toContain(id);
            const withId = await t.kms.decrypt({ ciphertextBlob: enc.ciphertextBlob, keyId: id });
            expect(text(withId.plaintext)).toBe(`secret ${spec.name}`);
          });
          it(`${spec.name} round-trips with an encryption context, which decrypt requires`, async () => {
            const id = keyId(spec, 'ENCRYPT_DECRYPT');
            const context = { tenant: 'acme', purpose: spec.name };
            const enc = await t.kms.encrypt({ keyId: id, plaintext: utf8('with context'), encryptionContext: context });
            const dec = await t.kms.decrypt({
              ciphertextBlob: enc.ciphertextBlob,
              encryptionContext: { purpose: spec.name, tenant: 'acme' },
            });
            expect(text(dec.plaintext)).toBe('with context');
            await expectKmsError(t.kms.decrypt({ ciphertextBlob: enc.ciphertextBlob }), 'INVALID_CIPHERTEXT');
          });
          it(`${spec.name} blobs are AES-GCM under the key's material with header || context as additional data`, async () => {
            const id = keyId(spec, 'ENCRYPT_DECRYPT');
            const { jwk } = await t.kms.exportKey({ keyId: id, format: 'JWK' });
            const material = b64url(jwk!.k!);
            expect(material.length).toBe(spec.keyBytes);
            const { ciphertextBlob: blob } = await t.kms.encrypt({
              keyId: id,
              plaintext: utf8('format'),
              encryptionContext: { k: 'v' },
            });
            // Format 1: 0x01 | key id (16) | version (4) | IV (12) | ciphertext | tag (16); context encoded length-prefixed.
            expect(blob[0]).toBe(1);
            expect(Buffer.from(blob.subarray(1, 17)).toString('hex')).toBe(id.replaceAll('-', ''));
            const context = Buffer.from(
              '00000001' +
                '00000001' +
                Buffer.from('k').toString('hex') +
                '00000001' +
                Buffer.from('v').toString('hex'),
              'hex',
            );
            const decipher = createDecipheriv(
              `aes-${spec.keyBytes! * 8}-gcm` as 'aes-256-gcm',
              material,
              blob.subarray(21, 33),
              { authTagLength: 16 },
            );
            decipher.setAAD(Buffer.concat([blob.subarray(0, 21), context]));
            decipher.setAuthTag(blob.subarray(blob.length - 16));
            const plain = Buffer.concat([decipher.update(blob.subarray(33, blob.length - 16)), decipher.final()]);
            expect(plain.toString()).toBe('format');
          });
        } else {
          it(`${spec.name} round-trips with ${algorithm}, and node's OAEP ciphertext decrypts`, async () => {
            const id = keyId(spec, 'ENCRYPT_DECRYPT');
            const enc = await t.kms.encrypt({
              keyId: id,
              plaintext: utf8('rsa secret'),
              encryptionAlgorithm: algorithm,
            });
            expect(enc.encryptionAlgorithm).toBe(algorithm);
            expect(enc.ciphertextBlob.length).toBe(spec.modulusBits! / 8);
            const dec = await t.kms.decrypt({
              ciphertextBlob: enc.ciphertextBlob,
              keyId: id,
              encryptionAlgorithm: algorithm,
            });
            expect(text(dec.plaintext)).toBe('rsa secret');
            expect(dec.encryptionAlgorithm).toBe(algorithm);
            const { publicKey } = await t.kms.getPublicKey({ keyId: id });
            const oaepHash = HASH_OF[algorithm];
            const fromNode = publicEncrypt(
              {
                key: createPublicKey({ key: Buffer.from(publicKey), format: 'der', type: 'spki' }),
                padding: constants.RSA_PKCS1_OAEP_PADDING,
                oaepHash,
              },
              utf8('from node'),
            );
            const dec2 = await t.kms.decrypt({ ciphertextBlob: fromNode, keyId: id, encryptionAlgorithm: algorithm });
            expect(text(dec2.plaintext)).toBe('from node');
          });
        }
      }
    }

    it('two encryptions of the same plaintext differ', async () => {
      const a = await t.kms.encrypt({ keyId: aesA, plaintext: utf8('same') });
      const b = await t.kms.encrypt({ keyId: aesA, plaintext: utf8('same') });
      expect(Buffer.from(a.ciphertextBlob).equals(Buffer.from(b.ciphertextBlob))).toBe(false);
    });

    it('decrypt fails with INVALID_CIPHERTEXT under a different encryption context', async () => {
      const { ciphertextBlob } = await t.kms.encrypt({
        keyId: aesA,
        plaintext: utf8('x'),
        encryptionContext: { a: '1' },
      });
      await expectKmsError(t.kms.decrypt({ ciphertextBlob, encryptionContext: { a: '2' } }), 'INVALID_CIPHERTEXT');
      await expectKmsError(
        t.kms.decrypt({ ciphertextBlob, encryptionContext: { a: '1', b: '2' } }),
        'INVALID_CIPHERTEXT',
      );
      await expectKmsError(t.kms.decrypt({ ciphertextBlob, encryptionContext: { A: '1' } }), 'INVALID_CIPHERTEXT');
      await expectKmsError(t.kms.decrypt({ ciphertextBlob }), 'INVALID_CIPHERTEXT');
    });

    it('decrypt fails with INVALID_CIPHERTEXT when any bit of the blob is flipped', async () => {
      const context = { c: 'x' };
      const { ciphertextBlob } = await t.kms.encrypt({
        keyId: aesA,
        plaintext: utf8('tamper me'),
        encryptionContext: context,
      });
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: ciphertextBlob.length * 8 - 1 }), async (bit) => {
          await expectKmsError(
            t.kms.decrypt({ ciphertextBlob: flipBit(ciphertextBlob, bit), encryptionContext: context }),
            'INVALID_CIPHERTEXT',
          );
        }),
        { numRuns: 50 },
      );
    });

    it('decrypt fails with INVALID_CIPHERTEXT for a truncated blob', async () => {
      const { ciphertextBlob } = await t.kms.encrypt({ keyId: aesA, plaintext: utf8('truncate me') });
      for (const length of [1, 17, 21, 33, 48, 49, ciphertextBlob.length - 1]) {
        await expectKmsError(
          t.kms.decrypt({ ciphertextBlob: ciphertextBlob.subarray(0, length) }),
          'INVALID_CIPHERTEXT',
        );
      }
    });

    it('decrypt fails with INVALID_CIPHERTEXT when the blob is re-targeted at another key', async () => {
      const { ciphertextBlob } = await t.kms.encrypt({ keyId: aesA, plaintext: utf8('move me') });
      const moved = new Uint8Array(ciphertextBlob);
      moved.set(Buffer.from(aesB.replaceAll('-', ''), 'hex'), 1);
      await expectKmsError(t.kms.decrypt({ ciphertextBlob: moved }), 'INVALID_CIPHERTEXT');
      await expectKmsError(t.kms.decrypt({ ciphertextBlob: moved, keyId: aesB }), 'INVALID_CIPHERTEXT');
    });

    it('decrypt fails with INVALID_CIPHERTEXT when the blob names a key that does not exist', async () => {
      const { ciphertextBlob } = await t.kms.encrypt({ keyId: aesA, plaintext: utf8('orphan') });
      const moved = new Uint8Array(ciphertextBlob);
      moved.set(randomBytes(16), 1);
      await expectKmsError(t.kms.decrypt({ ciphertextBlob: moved }), 'INVALID_CIPHERTEXT');
    });

    it('decrypt fails with INCORRECT_KEY when keyId names a different key than the blob', async () => {
      const { ciphertextBlob } = await t.kms.encrypt({ keyId: aesA, plaintext: utf8('mine') });
      await expectKmsError(t.kms.decrypt({ ciphertextBlob, keyId: aesB }), 'INCORRECT_KEY');
      await expectKmsError(
        t.kms.decrypt({ ciphertextBlob, keyId: keyId('HMAC_256', 'GENERATE_VERIFY_MAC') }),
        'INCORRECT_KEY',
      );
    });

    it('decrypt fails with INVALID_CIPHERTEXT when the blob is re-targeted at a key that is not an AES key', async () => {
      const { ciphertextBlob } = await t.kms.encrypt({ keyId: aesA, plaintext: utf8('move me') });
      for (const target of [
        keyId('HMAC_256', 'GENERATE_VERIFY_MAC'),
        keyId('RSA_2048', 'ENCRYPT_DECRYPT'),
        keyId('AES_256', 'DERIVE_KEY'),
      ]) {
        const moved = new Uint8Array(ciphertextBlob);
        moved.set(Buffer.from(target.replaceAll('-', ''), 'hex'), 1);
        await expectKmsError(t.kms.decrypt({ ciphertextBlob: moved }), 'INVALID_CIPHERTEXT');
      }
    });

    it('decrypt of an RSA ciphertext fails with INVALID_CIPHERTEXT under the other OAEP hash or when altered', async () => {
      const id = keyId('RSA_2048', 'ENCRYPT_DECRYPT');
      const { ciphertextBlob } = await t.kms.encrypt({
        keyId: id,
        plaintext: utf8('oaep'),
        encryptionAlgorithm: 'RSAES_OAEP_SHA_256',
      });
      await expectKmsError(
        t.kms.decrypt({ ciphertextBlob, keyId: id, encryptionAlgorithm: 'RSAES_OAEP_SHA_1' }),
        'INVALID_CIPHERTEXT',
      );
      await expectKmsError(
        t.kms.decrypt({
          ciphertextBlob: flipBit(ciphertextBlob, 100),
          keyId: id,
          encryptionAlgorithm: 'RSAES_OAEP_SHA_256',
        }),
        'INVALID_CIPHERTEXT',
      );
      await expectKmsError(
        t.kms.decrypt({
          ciphertextBlob: ciphertextBlob.subarray(1),
          keyId: id,
          encryptionAlgorithm: 'RSAES_OAEP_SHA_256',
        }),
        'INVALID_CIPHERTEXT',
      );
    });

    it('decrypt of an RSA ciphertext without keyId fails with VALIDATION_ERROR', async () => {
      const id = keyId('RSA_2048', 'ENCRYPT_DECRYPT');
      const { ciphertextBlob } = await t.kms.encrypt({
        keyId: id,
        plaintext: utf8('oaep'),
        encryptionAlgorithm: 'RSAES_OAEP_SHA_256',
      });
      await expectKmsError(
        t.kms.decrypt({ ciphertextBlob, encryptionAlgorithm: 'RSAES_OAEP_SHA_256' }),
        'VALIDATION_ERROR',
      );
    });

    it('encrypt fails with VALIDATION_ERROR for a 4097-byte plaintext', async () => {
      await expectKmsError(t.kms.encrypt({ keyId: aesA, plaintext: new Uint8Array(4097) }), 'VALIDATION_ERROR');
    });

    it('encrypt fails with VALIDATION_ERROR for a plaintext too long for RSA-OAEP', async () => {
      const id = keyId('RSA_2048', 'ENCRYPT_DECRYPT');
      // RSA_2048 with OAEP SHA-256 takes at most 256 - 2*32 - 2 = 190 bytes.
      await t.kms.encrypt({ keyId: id, plaintext: new Uint8Array(190), encryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
      await expectKmsError(
        t.kms.encrypt({ keyId: id, plaintext: new Uint8Array(191), encryptionAlgorithm: 'RSAES_OAEP_SHA_256' }),
        'VALIDATION_ERROR',
      );
    });

    it('encrypt with an RSA key fails with VALIDATION_ERROR when given an encryption context', async () => {
      const id = keyId('RSA_2048', 'ENCRYPT_DECRYPT');
      await expectKmsError(
        t.kms.encrypt({
          keyId: id,
          plaintext: utf8('x'),
          encryptionAlgorithm: 'RSAES_OAEP_SHA_256',
          encryptionContext: { a: 'b' },
        }),
        'VALIDATION_ERROR',
      );
    });
  });

  describe('reEncrypt', () => {
    it('moves a ciphertext from key A (context X) to key B (context Y), decryptable under B/Y only', async () => {
      const { ciphertextBlob } = await t.kms.encrypt({
        keyId: aesA,
        plaintext: utf8('moving'),
        encryptionContext: { ctx: 'X' },
      });
      const re = await t.kms.reEncrypt({
        ciphertextBlob,
        sourceEncryptionContext: { ctx: 'X' },
        destinationKeyId: aesB,
        destinationEncryptionContext: { ctx: 'Y' },
      });
      expect(re.sourceKeyId).toContain(aesA);
      expect(re.keyId).toContain(aesB);
      expect(re.sourceEncryptionAlgorithm).toBe('SYMMETRIC_DEFAULT');
      expect(re.destinationEncryptionAlgorithm).toBe('SYMMETRIC_DEFAULT');
      const dec = await t.kms.decrypt({ ciphertextBlob: re.ciphertextBlob, encryptionContext: { ctx: 'Y' } });
      expect(text(dec.plaintext)).toBe('moving');
      expect(dec.keyId).toContain(aesB);
      await expectKmsError(
        t.kms.decrypt({ ciphertextBlob: re.ciphertextBlob, encryptionContext: { ctx: 'X' } }),
        'INVALID_CIPHERTEXT',
      );
      await expectKmsError(
        t.kms.decrypt({ ciphertextBlob: re.ciphertextBlob, encryptionContext: { ctx: 'Y' }, keyId: aesA }),
        'INCORRECT_KEY',
      );
    });

    it('fails with INVALID_CIPHERTEXT when the source context is wrong', async () => {
      const { ciphertextBlob } = await t.kms.encrypt({
        keyId: aesA,
        plaintext: utf8('moving'),
        encryptionContext: { ctx: 'X' },
      });
      await expectKmsError(
        t.kms.reEncrypt({ ciphertextBlob, sourceEncryptionContext: { ctx: 'Z' }, destinationKeyId: aesB }),
        'INVALID_CIPHERTEXT',
      );
    });

    it('moves an RSA-OAEP ciphertext to an AES key', async () => {
      const rsaId = keyId('RSA_2048', 'ENCRYPT_DECRYPT');
      const { ciphertextBlob } = await t.kms.encrypt({
        keyId: rsaId,
        plaintext: utf8('from rsa'),
        encryptionAlgorithm: 'RSAES_OAEP_SHA_1',
      });
      const re = await t.kms.reEncrypt({
        ciphertextBlob,
        sourceKeyId: rsaId,
        sourceEncryptionAlgorithm: 'RSAES_OAEP_SHA_1',
        destinationKeyId: aesB,
        destinationEncryptionContext: { to: 'aes' },
      });
      expect(re.sourceKeyId).toContain(rsaId);
      expect(re.sourceEncryptionAlgorithm).toBe('RSAES_OAEP_SHA_1');
      const dec = await t.kms.decrypt({ ciphertextBlob: re.ciphertextBlob, encryptionContext: { to: 'aes' } });
      expect(text(dec.plaintext)).toBe('from rsa');
    });
  });

  describe('generateDataKey', () => {
    for (const [request, bytes] of [
      [{ keySpec: 'AES_256' }, 32],
      [{ keySpec: 'AES_128' }, 16],
      [{ numberOfBytes: 64 }, 64],
      [{ numberOfBytes: 1 }, 1],
    ] as const) {
      it(`returns ${bytes} plaintext bytes for ${JSON.stringify(request)}, which the blob decrypts to with the same context`, async () => {
        const context = { purpose: 'data-key' };
        const res = await t.kms.generateDataKey({ keyId: aesA, encryptionContext: context, ...request });
        expect(res.plaintext.length).toBe(bytes);
        expect(res.keyId).toContain(aesA);
        const dec = await t.kms.decrypt({ ciphertextBlob: res.ciphertextBlob, encryptionContext: context });
        expect(Buffer.from(dec.plaintext).equals(Buffer.from(res.plaintext))).toBe(true);
        await expectKmsError(t.kms.decrypt({ ciphertextBlob: res.ciphertextBlob }), 'INVALID_CIPHERTEXT');
      });
    }

    it('fails with VALIDATION_ERROR given both keySpec and numberOfBytes, or neither', async () => {
      await expectKmsError(
        t.kms.generateDataKey({ keyId: aesA, keySpec: 'AES_256', numberOfBytes: 32 }),
        'VALIDATION_ERROR',
      );
      await expectKmsError(t.kms.generateDataKey({ keyId: aesA }), 'VALIDATION_ERROR');
      await expectKmsError(
        t.kms.generateDataKeyWithoutPlaintext({ keyId: aesA, keySpec: 'AES_128', numberOfBytes: 16 }),
        'VALIDATION_ERROR',
      );
    });

    it('generateDataKeyWithoutPlaintext returns no plaintext, and the blob decrypts to a key of the size asked', async () => {
      const res = await t.kms.generateDataKeyWithoutPlaintext({
        keyId: aesA,
        keySpec: 'AES_256',
        encryptionContext: { a: 'b' },
      });
      expect('plaintext' in res).toBe(false);
      const dec = await t.kms.decrypt({ ciphertextBlob: res.ciphertextBlob, encryptionContext: { a: 'b' } });
      expect(dec.plaintext.length).toBe(32);
    });

    it('fails with INVALID_KEY_USAGE under an asymmetric key', async () => {
      await expectKmsError(
        t.kms.generateDataKey({ keyId: keyId('RSA_2048', 'ENCRYPT_DECRYPT'), keySpec: 'AES_256' }),
        'INVALID_KEY_USAGE',
      );
    });
  });

  describe('generateDataKeyPair', () => {
    const pairSpecs = DATA_KEY_PAIR_SPECS.filter((name) => {
      const spec = KEY_SPEC_TABLE[name];
      return spec.family.name !== 'rsa' || spec.modulusBits === SMALLEST_RSA;
    });
    for (const keyPairSpec of pairSpecs) {
      it(`${keyPairSpec}: the encrypted private key decrypts to the PKCS#8 plaintext, which matches the public key`, async () => {
        const context = { pair: keyPairSpec };
        const res = await t.kms.generateDataKeyPair({ keyId: aesA, keyPairSpec, encryptionContext: context });
        expect(res.keyPairSpec).toBe(keyPairSpec);
        const dec = await t.kms.decrypt({ ciphertextBlob: res.privateKeyCiphertextBlob, encryptionContext: context });
        expect(Buffer.from(dec.plaintext).equals(Buffer.from(res.privateKeyPlaintext))).toBe(true);
        const privateKey = createPrivateKey({
          key: Buffer.from(res.privateKeyPlaintext),
          format: 'der',
          type: 'pkcs8',
        });
        const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
        expect(spki.equals(Buffer.from(res.publicKey))).toBe(true);
      });
    }

    it('generateDataKeyPairWithoutPlaintext returns no private key plaintext; the blob holds the matching PKCS#8 key', async () => {
      const res = await t.kms.generateDataKeyPairWithoutPlaintext({ keyId: aesA, keyPairSpec: 'ECC_NIST_P256' });
      expect('privateKeyPlaintext' in res).toBe(false);
      const dec = await t.kms.decrypt({ ciphertextBlob: res.privateKeyCiphertextBlob });
      const spki = createPublicKey(
        createPrivateKey({ key: Buffer.from(dec.plaintext), format: 'der', type: 'pkcs8' }),
      ).export({ type: 'spki', format: 'der' });
      expect(spki.equals(Buffer.from(res.publicKey))).toBe(true);
    });

    it('two data key pairs differ', async () => {
      const a = await t.kms.generateDataKeyPair({ keyId: aesA, keyPairSpec: 'X25519' });
      const b = await t.kms.generateDataKeyPair({ keyId: aesA, keyPairSpec: 'X25519' });
      expect(Buffer.from(a.publicKey).equals(Buffer.from(b.publicKey))).toBe(false);
    });
  });

  describe('generateRandom', () => {
    for (const numberOfBytes of [1, 32, 1024]) {
      it(`returns ${numberOfBytes} bytes`, async () => {
        const { plaintext } = await t.kms.generateRandom({ numberOfBytes });
        expect(plaintext.length).toBe(numberOfBytes);
      });
    }
    it('returns different bytes each call', async () => {
      const a = await t.kms.generateRandom({ numberOfBytes: 32 });
      const b = await t.kms.generateRandom({ numberOfBytes: 32 });
      expect(Buffer.from(a.plaintext).equals(Buffer.from(b.plaintext))).toBe(false);
    });
    it('fails with VALIDATION_ERROR for 0 or 1025 bytes', async () => {
      await expectKmsError(t.kms.generateRandom({ numberOfBytes: 0 }), 'VALIDATION_ERROR');
      await expectKmsError(t.kms.generateRandom({ numberOfBytes: 1025 }), 'VALIDATION_ERROR');
    });
  });

  describe('sign and verify', () => {
    const message = utf8('the message to sign');
    const nodeVerifies = (
      spec: KeySpecEntry,
      algorithm: HashedSigningAlgorithm,
      spki: Uint8Array,
      signature: Uint8Array,
    ): boolean => {
      const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
      const hash = HASH_OF[algorithm];
      if (spec.name === 'ECC_NIST_EDWARDS25519') return nodeVerify(null, message, key, signature);
      if (algorithm.startsWith('RSASSA_PSS')) {
        return nodeVerify(
          hash,
          message,
          { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: DIGEST_BYTES[hash] },
          signature,
        );
      }
      if (algorithm.startsWith('RSASSA_PKCS1'))
        return nodeVerify(hash, message, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
      return nodeVerify(hash, message, { key, dsaEncoding: 'der' }, signature);
    };

    for (const { spec } of planFor('SIGN_VERIFY')) {
      // ML-DSA (node:crypto verifies it on Node 24 only; no DIGEST form) is tested in test/service/pq.test.ts.
      for (const algorithm of spec.signing.filter(isHashedSigning)) {
        it(`${spec.name} ${algorithm} RAW: Custos and node:crypto verify the signature`, async () => {
          const id = keyId(spec, 'SIGN_VERIFY');
          const signed = await t.kms.sign({ keyId: id, message, signingAlgorithm: algorithm });
          expect(signed.signingAlgorithm).toBe(algorithm);
          const verified = await t.kms.verify({
            keyId: id,
            message,
            signature: signed.signature,
            signingAlgorithm: algorithm,
          });
          expect(verified.signatureValid).toBe(true);
          const { publicKey } = await t.kms.getPublicKey({ keyId: id });
          expect(nodeVerifies(spec, algorithm, publicKey, signed.signature)).toBe(true);
        });

        if (spec.name === 'ECC_NIST_EDWARDS25519') {
          it(`${spec.name} ${algorithm} refuses DIGEST with VALIDATION_ERROR`, async () => {
            const id = keyId(spec, 'SIGN_VERIFY');
            const digest = createHash('sha512').update(message).digest();
            await expectKmsError(
              t.kms.sign({ keyId: id, message: digest, messageType: 'DIGEST', signingAlgorithm: algorithm }),
              'VALIDATION_ERROR',
            );
            await expectKmsError(
              t.kms.verify({
                keyId: id,
                message: digest,
                messageType: 'DIGEST',
                signature: new Uint8Array(64),
                signingAlgorithm: algorithm,
              }),
              'VALIDATION_ERROR',
            );
          });
          continue;
        }

        it(`${spec.name} ${algorithm} DIGEST: signs the node:crypto hash, verifiable as DIGEST, as RAW and by node`, async () => {
          const id = keyId(spec, 'SIGN_VERIFY');
          const hash = HASH_OF[algorithm];
          const digest = new Uint8Array(createHash(hash).update(message).digest());
          const signed = await t.kms.sign({
            keyId: id,
            message: digest,
            messageType: 'DIGEST',
            signingAlgorithm: algorithm,
          });
          await t.kms.verify({
            keyId: id,
            message: digest,
            messageType: 'DIGEST',
            signature: signed.signature,
            signingAlgorithm: algorithm,
          });
          await t.kms.verify({ keyId: id, message, signature: signed.signature, signingAlgorithm: algorithm });
          const { publicKey } = await t.kms.getPublicKey({ keyId: id });
          expect(nodeVerifies(spec, algorithm, publicKey, signed.signature)).toBe(true);
        });

        it(`${spec.name} ${algorithm} DIGEST of the wrong length fails with VALIDATION_ERROR`, async () => {
          const id = keyId(spec, 'SIGN_VERIFY');
          const wrong = new Uint8Array(DIGEST_BYTES[HASH_OF[algorithm]] + 1);
          await expectKmsError(
            t.kms.sign({ keyId: id, message: wrong, messageType: 'DIGEST', signingAlgorithm: algorithm }),
            'VALIDATION_ERROR',
          );
          await expectKmsError(
            t.kms.verify({
              keyId: id,
              message: wrong,
              messageType: 'DIGEST',
              signature: new Uint8Array(64),
              signingAlgorithm: algorithm,
            }),
            'VALIDATION_ERROR',
          );
        });
      }

      it(`${spec.name} verify fails with INVALID_SIGNATURE for an altered signature or message`, async () => {
        const id = keyId(spec, 'SIGN_VERIFY');
        const algorithm = spec.signing[0]!;
        const { signature } = await t.kms.sign({ keyId: id, message, signingAlgorithm: algorithm });
        await expectKmsError(
          t.kms.verify({ keyId: id, message, signature: flipBit(signature, 8 * 10 + 3), signingAlgorithm: algorithm }),
          'INVALID_SIGNATURE',
        );
        await expectKmsError(
          t.kms.verify({ keyId: id, message: utf8('another message'), signature, signingAlgorithm: algorithm }),
          'INVALID_SIGNATURE',
        );
        await expectKmsError(
          t.kms.verify({ keyId: id, message, signature: signature.subarray(0, 8), signingAlgorithm: algorithm }),
          'INVALID_SIGNATURE',
        );
      });
    }

    it('sign fails with VALIDATION_ERROR for a 4097-byte RAW message', async () => {
      const id = keyId('ECC_NIST_P256', 'SIGN_VERIFY');
      await t.kms.sign({ keyId: id, message: new Uint8Array(4096), signingAlgorithm: 'ECDSA_SHA_256' });
      await expectKmsError(
        t.kms.sign({ keyId: id, message: new Uint8Array(4097), signingAlgorithm: 'ECDSA_SHA_256' }),
        'VALIDATION_ERROR',
      );
      await expectKmsError(
        t.kms.verify({
          keyId: id,
          message: new Uint8Array(4097),
          signature: new Uint8Array(70),
          signingAlgorithm: 'ECDSA_SHA_256',
        }),
        'VALIDATION_ERROR',
      );
    });

    it('a signature from one algorithm does not verify under another', async () => {
      const id = keyId('RSA_2048', 'SIGN_VERIFY');
      const { signature } = await t.kms.sign({ keyId: id, message, signingAlgorithm: 'RSASSA_PSS_SHA_256' });
      await expectKmsError(
        t.kms.verify({ keyId: id, message, signature, signingAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' }),
        'INVALID_SIGNATURE',
      );
    });
  });

  describe('generateMac and verifyMac', () => {
    const message = utf8('authenticate me');
    for (const { spec } of planFor('GENERATE_VERIFY_MAC')) {
      for (const algorithm of spec.mac) {
        it(`${spec.name} ${algorithm}: the MAC equals node's HMAC under the key and verifies`, async () => {
          const id = keyId(spec, 'GENERATE_VERIFY_MAC');
          const { mac, macAlgorithm } = await t.kms.generateMac({ keyId: id, message, macAlgorithm: algorithm });
          expect(macAlgorithm).toBe(algorithm);
          const { jwk } = await t.kms.exportKey({ keyId: id, format: 'JWK' });
          const expected = createHmac(HASH_OF[algorithm], b64url(jwk!.k!)).update(message).digest();
          expect(Buffer.from(mac).equals(expected)).toBe(true);
          const verified = await t.kms.verifyMac({ keyId: id, message, mac, macAlgorithm: algorithm });
          expect(verified.macValid).toBe(true);
        });

        it(`${spec.name} ${algorithm}: verifyMac fails with INVALID_MAC for an altered, truncated or foreign MAC`, async () => {
          const id = keyId(spec, 'GENERATE_VERIFY_MAC');
          const { mac } = await t.kms.generateMac({ keyId: id, message, macAlgorithm: algorithm });
          await expectKmsError(
            t.kms.verifyMac({ keyId: id, message, mac: flipBit(mac, 5), macAlgorithm: algorithm }),
            'INVALID_MAC',
          );
          await expectKmsError(
            t.kms.verifyMac({ keyId: id, message, mac: mac.subarray(0, 16), macAlgorithm: algorithm }),
            'INVALID_MAC',
          );
          await expectKmsError(
            t.kms.verifyMac({ keyId: id, message: utf8('other'), mac, macAlgorithm: algorithm }),
            'INVALID_MAC',
          );
        });
      }
    }
  });

  describe('deriveSharedSecret', () => {
    for (const { spec } of planFor('KEY_AGREEMENT')) {
      for (const algorithm of spec.agreement) {
        const forms: readonly [string, (peer: KeyObject) => Uint8Array][] = [
          ['SPKI DER', (peer) => new Uint8Array(peer.export({ type: 'spki', format: 'der' }))],
          ['PEM text', (peer) => utf8(String(peer.export({ type: 'spki', format: 'pem' })))],
          ['JWK JSON', (peer) => utf8(JSON.stringify(peer.export({ format: 'jwk' })))],
        ];
        for (const [form, encode] of forms) {
          it(`${spec.name} ${algorithm} with the peer key as ${form} equals node's diffieHellman from the peer's side`, async () => {
            const id = keyId(spec, 'KEY_AGREEMENT');
            const curve = nodeCurve(spec);
            const peer =
              curve.type === 'ec'
                ? generateKeyPairSync('ec', { namedCurve: curve.namedCurve })
                : generateKeyPairSync('x25519');
            const res = await t.kms.deriveSharedSecret({
              keyId: id,
              keyAgreementAlgorithm: algorithm,
              publicKey: encode(peer.publicKey),
            });
            expect(res.keyAgreementAlgorithm).toBe(algorithm);
            expect(res.keyOrigin).toBe('AWS_KMS');
            const { publicKey } = await t.kms.getPublicKey({ keyId: id });
            const expected = diffieHellman({
              privateKey: peer.privateKey,
              publicKey: createPublicKey({ key: Buffer.from(publicKey), format: 'der', type: 'spki' }),
            });
            expect(Buffer.from(res.sharedSecret!).equals(expected)).toBe(true);
          });
        }
      }
    }

    describe('refuses malformed peer keys with INVALID_PUBLIC_KEY', () => {
      const p256 = () => keyId('ECC_NIST_P256', 'KEY_AGREEMENT');
      const x25519 = () => keyId('X25519', 'KEY_AGREEMENT');
      const derive = (id: string, publicKey: Uint8Array) =>
        t.kms.deriveSharedSecret({ keyId: id, keyAgreementAlgorithm: 'ECDH', publicKey });

      it('garbage DER', async () => {
        await expectKmsError(
          derive(p256(), new Uint8Array([0x30, 0x82, 0x01, 0x00, ...randomBytes(40)])),
          'INVALID_PUBLIC_KEY',
        );
        await expectKmsError(derive(p256(), new Uint8Array(randomBytes(91))), 'INVALID_PUBLIC_KEY');
      });
      it('malformed PEM', async () => {
        await expectKmsError(
          derive(p256(), utf8('-----BEGIN PUBLIC KEY-----\nnot base64 at all!\n-----END PUBLIC KEY-----\n')),
          'INVALID_PUBLIC_KEY',
        );
        await expectKmsError(
          derive(p256(), utf8('-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQ==\n-----END PUBLIC KEY-----\n')),
          'INVALID_PUBLIC_KEY',
        );
        const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
        await expectKmsError(
          derive(p256(), utf8(String(privateKey.export({ type: 'pkcs8', format: 'pem' })))),
          'INVALID_PUBLIC_KEY',
        );
      });
      it('a JWK (or DER key) for the wrong curve', async () => {
        const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey;
        await expectKmsError(
          derive(p256(), utf8(JSON.stringify(p384.export({ format: 'jwk' })))),
          'INVALID_PUBLIC_KEY',
        );
        await expectKmsError(
          derive(p256(), new Uint8Array(p384.export({ type: 'spki', format: 'der' }))),
          'INVALID_PUBLIC_KEY',
        );
        const ed = generateKeyPairSync('ed25519').publicKey;
        await expectKmsError(
          derive(x25519(), utf8(JSON.stringify(ed.export({ format: 'jwk' })))),
          'INVALID_PUBLIC_KEY',
        );
      });
      it("a JWK holding the private 'd'", async () => {
        const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
        await expectKmsError(
          derive(p256(), utf8(JSON.stringify(privateKey.export({ format: 'jwk' })))),
          'INVALID_PUBLIC_KEY',
        );
      });
      it('a compressed EC point (only the uncompressed form AWS returns is accepted)', async () => {
        const ecdh = createECDH('prime256v1');
        ecdh.generateKeys();
        const prefix = Buffer.from('3039301306072a8648ce3d020106082a8648ce3d030107032200', 'hex');
        const compressed = Buffer.concat([prefix, ecdh.getPublicKey(null, 'compressed')]);
        await expectKmsError(derive(p256(), new Uint8Array(compressed)), 'INVALID_PUBLIC_KEY');
      });
      it('malformed JWK JSON', async () => {
        await expectKmsError(derive(p256(), utf8('{"kty":"EC","crv":')), 'INVALID_PUBLIC_KEY');
      });
      it('a low-order X25519 point', async () => {
        const spkiPrefix = Buffer.from('302a300506032b656e032100', 'hex');
        for (const u of [0n, 1n]) {
          const point = Buffer.alloc(32);
          point.writeBigUInt64LE(u, 0);
          await expectKmsError(
            derive(x25519(), new Uint8Array(Buffer.concat([spkiPrefix, point]))),
            'INVALID_PUBLIC_KEY',
          );
        }
      });
    });
  });

  describe('deriveKey', () => {
    const salt = new Uint8Array(randomBytes(16));
    const info = utf8('custos test');
    const exportedMaterial = async (id: string): Promise<Buffer> => {
      const { jwk } = await t.kms.exportKey({ keyId: id, format: 'JWK' });
      return Buffer.from(jwk!.k!, 'base64url');
    };
    const expected = (algorithm: DerivationAlgorithm, ikm: Buffer, length: number): Buffer => {
      const hash = HASH_OF[algorithm];
      if (algorithm.startsWith('HKDF')) return Buffer.from(hkdfSync(hash, ikm, salt, info, length));
      return pbkdf2Sync(ikm, salt, 1000, length, hash);
    };
    const params = (algorithm: DerivationAlgorithm) => (algorithm.startsWith('HKDF') ? { info } : { iterations: 1000 });

    for (const { spec } of planFor('DERIVE_KEY')) {
      for (const algorithm of spec.derivation) {
        it(`${spec.name} ${algorithm} returns the bytes node:crypto derives from the exported material`, async () => {
          const id = keyId(spec, 'DERIVE_KEY');
          const res = await t.kms.deriveKey({
            keyId: id,
            derivationAlgorithm: algorithm,
            salt,
            numberOfBytes: 48,
            ...params(algorithm),
          });
          expect(res.keyId).toContain(id);
          expect(Buffer.from(res.plaintext!).equals(expected(algorithm, await exportedMaterial(id), 48))).toBe(true);
        });
      }
    }

    it('storeAs AES_256 creates a key holding the derived bytes, which encrypts and decrypts', async () => {
      const id = keyId('AES_256', 'DERIVE_KEY');
      const res = await t.kms.deriveKey({
        keyId: id,
        derivationAlgorithm: 'HKDF_SHA_256',
        salt,
        info,
        storeAs: { keySpec: 'AES_256', exportable: true, description: 'derived' },
      });
      expect(res.plaintext).toBeUndefined();
      const derived = res.keyMetadata!;
      expect(derived.keySpec).toBe('AES_256');
      expect(derived.keyUsage).toBe('ENCRYPT_DECRYPT');
      expect(derived.keyState).toBe('Enabled');
      const enc = await t.kms.encrypt({ keyId: derived.keyId, plaintext: utf8('under a derived key') });
      expect(text((await t.kms.decrypt({ ciphertextBlob: enc.ciphertextBlob })).plaintext)).toBe('under a derived key');
      expect(
        (await exportedMaterial(derived.keyId)).equals(expected('HKDF_SHA_256', await exportedMaterial(id), 32)),
      ).toBe(true);
    });

    it('fails with VALIDATION_ERROR for PBKDF2 without iterations or with info, and HKDF with iterations', async () => {
      const id = keyId('AES_256', 'DERIVE_KEY');
      await expectKmsError(
        t.kms.deriveKey({ keyId: id, derivationAlgorithm: 'PBKDF2_SHA_256', salt, numberOfBytes: 32 }),
        'VALIDATION_ERROR',
      );
      await expectKmsError(
        t.kms.deriveKey({
          keyId: id,
          derivationAlgorithm: 'PBKDF2_SHA_256',
          salt,
          info,
          iterations: 1000,
          numberOfBytes: 32,
        }),
        'VALIDATION_ERROR',
      );
      await expectKmsError(
        t.kms.deriveKey({ keyId: id, derivationAlgorithm: 'HKDF_SHA_256', salt, iterations: 1000, numberOfBytes: 32 }),
        'VALIDATION_ERROR',
      );
    });

    it('fails with INVALID_KEY_USAGE with a key that is not a DERIVE_KEY key', async () => {
      await expectKmsError(
        t.kms.deriveKey({ keyId: aesA, derivationAlgorithm: 'HKDF_SHA_256', salt, numberOfBytes: 32 }),
        'INVALID_KEY_USAGE',
      );
    });
  });

  describe('getPublicKey', () => {
    // Post-quantum public keys (AKP JWKs) are checked in test/contract/pq-contract.ts.
    const asymmetric = PLAN.filter(({ spec }) => !isSymmetric(spec) && spec.family.material !== 'seed');
    for (const { spec, usage } of asymmetric) {
      it(`${label(spec, usage)}: SPKI parses with node and equals the JWK (kid, kty, crv, alg, key_ops)`, async () => {
        const id = keyId(spec, usage);
        const res = await t.kms.getPublicKey({ keyId: id });
        expect(res.keySpec).toBe(spec.name);
        expect(res.keyUsage).toBe(usage);
        const key = createPublicKey({ key: Buffer.from(res.publicKey), format: 'der', type: 'spki' });
        expect(key.type).toBe('public');
        const fromJwk = createPublicKey({ key: res.jwk as JsonWebKey, format: 'jwk' });
        expect(fromJwk.export({ type: 'spki', format: 'der' }).equals(Buffer.from(res.publicKey))).toBe(true);
        expect(res.jwk.kid).toBe(id);
        expect(res.jwk.kty).toBe(spec.family.name === 'rsa' ? 'RSA' : spec.family.name === 'ec' ? 'EC' : 'OKP');
        if (spec.family.name !== 'rsa') expect(res.jwk.crv).toBe(crvOf(spec));
        expect(Array.isArray(res.jwk.key_ops)).toBe(true);
        if (usage === 'SIGN_VERIFY') expect(res.jwk.key_ops).toEqual(['verify']);
        if (usage === 'ENCRYPT_DECRYPT') expect(res.jwk.key_ops).toContain('encrypt');
        expect(res.jwk.d).toBeUndefined();
        const algs =
          usage === 'SIGN_VERIFY' ? spec.signing : usage === 'ENCRYPT_DECRYPT' ? spec.encryption : spec.agreement;
        if (usage === 'SIGN_VERIFY') expect(res.signingAlgorithms).toEqual(algs);
        if (usage === 'ENCRYPT_DECRYPT') expect(res.encryptionAlgorithms).toEqual(algs);
        if (usage === 'KEY_AGREEMENT') expect(res.keyAgreementAlgorithms).toEqual(algs);
      });
    }

    it('names the JWA alg when the key has exactly one algorithm', async () => {
      const jwa = {
        ECC_NIST_P256: 'ES256',
        ECC_NIST_P384: 'ES384',
        ECC_NIST_P521: 'ES512',
        ECC_SECG_P256K1: 'ES256K', // RFC 8812, never ES256
        ECC_NIST_EDWARDS25519: 'EdDSA',
      } as const;
      for (const [spec, alg] of Object.entries(jwa)) {
        const { jwk } = await t.kms.getPublicKey({ keyId: keyId(spec, 'SIGN_VERIFY') });
        expect(jwk.alg, spec).toBe(alg);
      }
      const rsa = await t.kms.getPublicKey({ keyId: keyId('RSA_2048', 'SIGN_VERIFY') });
      expect(rsa.jwk.alg).toBeUndefined();
    });

    it('an RSA encryption key names RSA-OAEP-256 and an agreement key ECDH-ES', async () => {
      const rsa = await t.kms.getPublicKey({ keyId: keyId('RSA_2048', 'ENCRYPT_DECRYPT') });
      expect(rsa.jwk.alg).toBe('RSA-OAEP-256');
      for (const spec of ['ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'X25519']) {
        const { jwk } = await t.kms.getPublicKey({ keyId: keyId(spec, 'KEY_AGREEMENT') });
        expect(jwk.alg, spec).toBe('ECDH-ES');
      }
    });

    it('fails with INVALID_KEY_USAGE for a symmetric key', async () => {
      await expectKmsError(t.kms.getPublicKey({ keyId: aesA }), 'INVALID_KEY_USAGE');
    });
  });

  describe('wrong usage or algorithm fails with INVALID_KEY_USAGE', () => {
    it('sign with an ENCRYPT_DECRYPT key', async () => {
      await expectKmsError(
        t.kms.sign({
          keyId: keyId('RSA_2048', 'ENCRYPT_DECRYPT'),
          message: utf8('m'),
          signingAlgorithm: 'RSASSA_PSS_SHA_256',
        }),
        'INVALID_KEY_USAGE',
      );
    });
    it('verify with an ENCRYPT_DECRYPT key', async () => {
      await expectKmsError(
        t.kms.verify({
          keyId: keyId('RSA_2048', 'ENCRYPT_DECRYPT'),
          message: utf8('m'),
          signature: new Uint8Array(256),
          signingAlgorithm: 'RSASSA_PSS_SHA_256',
        }),
        'INVALID_KEY_USAGE',
      );
    });
    it('encrypt with a SIGN_VERIFY key', async () => {
      await expectKmsError(
        t.kms.encrypt({ keyId: keyId('ECC_NIST_P256', 'SIGN_VERIFY'), plaintext: utf8('p') }),
        'INVALID_KEY_USAGE',
      );
      await expectKmsError(
        t.kms.encrypt({
          keyId: keyId('RSA_2048', 'SIGN_VERIFY'),
          plaintext: utf8('p'),
          encryptionAlgorithm: 'RSAES_OAEP_SHA_256',
        }),
        'INVALID_KEY_USAGE',
      );
    });
    it('generateMac and verifyMac with an AES key', async () => {
      await expectKmsError(
        t.kms.generateMac({ keyId: aesA, message: utf8('m'), macAlgorithm: 'HMAC_SHA_256' }),
        'INVALID_KEY_USAGE',
      );
      await expectKmsError(
        t.kms.verifyMac({ keyId: aesA, message: utf8('m'), mac: new Uint8Array(32), macAlgorithm: 'HMAC_SHA_256' }),
        'INVALID_KEY_USAGE',
      );
    });
    it('a MAC algorithm the HMAC key does not have', async () => {
      await expectKmsError(
        t.kms.generateMac({
          keyId: keyId('HMAC_256', 'GENERATE_VERIFY_MAC'),
          message: utf8('m'),
          macAlgorithm: 'HMAC_SHA_512',
        }),
        'INVALID_KEY_USAGE',
      );
    });
    it('deriveSharedSecret with a signing key', async () => {
      const peer = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' });
      await expectKmsError(
        t.kms.deriveSharedSecret({
          keyId: keyId('ECC_NIST_P256', 'SIGN_VERIFY'),
          keyAgreementAlgorithm: 'ECDH',
          publicKey: new Uint8Array(peer),
        }),
        'INVALID_KEY_USAGE',
      );
    });
    it('ECDSA_SHA_384 on a P-256 key', async () => {
      await expectKmsError(
        t.kms.sign({
          keyId: keyId('ECC_NIST_P256', 'SIGN_VERIFY'),
          message: utf8('m'),
          signingAlgorithm: 'ECDSA_SHA_384',
        }),
        'INVALID_KEY_USAGE',
      );
    });
    it('an RSA algorithm on an AES key, and SYMMETRIC_DEFAULT on an RSA key', async () => {
      await expectKmsError(
        t.kms.encrypt({ keyId: aesA, plaintext: utf8('p'), encryptionAlgorithm: 'RSAES_OAEP_SHA_256' }),
        'INVALID_KEY_USAGE',
      );
      await expectKmsError(
        t.kms.encrypt({ keyId: keyId('RSA_2048', 'ENCRYPT_DECRYPT'), plaintext: utf8('p') }),
        'INVALID_KEY_USAGE',
      );
    });
  });

  it('every byte field of a result has a buffer of its own, never a slice of a pool shared with other requests', async () => {
    // A blob's `.buffer` travels with it (structured clone, postMessage, Buffer.from(x.buffer)): a slice of Node's
    // pool would carry whatever else sits there, other requests' plaintext included.
    const message = utf8('m');
    const peer = new Uint8Array(
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' }),
    );
    const { ciphertextBlob } = await t.kms.encrypt({ keyId: aesA, plaintext: utf8('a secret of another request') });
    const results: Record<string, unknown> = {
      encrypt: await t.kms.encrypt({ keyId: aesA, plaintext: message }),
      decrypt: await t.kms.decrypt({ ciphertextBlob }),
      reEncrypt: await t.kms.reEncrypt({ ciphertextBlob, destinationKeyId: aesB }),
      generateDataKey: await t.kms.generateDataKey({ keyId: aesA, keySpec: 'AES_256' }),
      generateDataKeyPair: await t.kms.generateDataKeyPair({ keyId: aesA, keyPairSpec: 'ECC_NIST_P256' }),
      generateRandom: await t.kms.generateRandom({ numberOfBytes: 16 }),
      sign: await t.kms.sign({
        keyId: keyId('ECC_NIST_P256', 'SIGN_VERIFY'),
        message,
        signingAlgorithm: 'ECDSA_SHA_256',
      }),
      getPublicKey: await t.kms.getPublicKey({ keyId: keyId('ECC_NIST_P256', 'SIGN_VERIFY') }),
      generateMac: await t.kms.generateMac({
        keyId: keyId('HMAC_256', 'GENERATE_VERIFY_MAC'),
        message,
        macAlgorithm: 'HMAC_SHA_256',
      }),
      deriveSharedSecret: await t.kms.deriveSharedSecret({
        keyId: keyId('ECC_NIST_P256', 'KEY_AGREEMENT'),
        keyAgreementAlgorithm: 'ECDH',
        publicKey: peer,
      }),
      deriveKey: await t.kms.deriveKey({
        keyId: keyId('AES_256', 'DERIVE_KEY'),
        derivationAlgorithm: 'HKDF_SHA_256',
        salt: utf8('salt'),
        numberOfBytes: 32,
      }),
    };
    let checked = 0;
    for (const [operation, result] of Object.entries(results)) {
      for (const [field, value] of Object.entries(result as Record<string, unknown>)) {
        if (!(value instanceof Uint8Array)) continue;
        checked++;
        expect({ operation, field, offset: value.byteOffset, bufferBytes: value.buffer.byteLength }).toEqual({
          operation,
          field,
          offset: 0,
          bufferBytes: value.length,
        });
      }
    }
    expect(checked).toBe(14); // every field above that holds bytes
  });
});
