// Usage constraints through LocalKms: allowed algorithms, the validity window (notBefore / notAfter, rule in
// service/key-loading.ts checkValidity) and the maximum number of uses, set at CreateKey and by UpdateKeyConstraints.
import { createHash, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateKeyRequest } from '@custos/contract';
import { openTestKms, text, utf8, type TestKms } from './helpers.js';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';

const HOUR_MS = 60 * 60 * 1000;

describe('LocalKms usage constraints', () => {
  let t: TestKms;
  let pssOnly: string;
  let rsaEncrypt: string;
  const at = (offsetMs: number) => new Date(t.clock.now().getTime() + offsetMs);
  const create = async (request: CreateKeyRequest) => (await t.kms.createKey(request)).keyMetadata;
  const constraintsOf = async (keyId: string) => (await t.kms.describeKey({ keyId })).keyMetadata.usageConstraints;
  const keyCount = async () => (await t.kms.listKeys({ limit: 1000 })).keys.length;

  beforeAll(async () => {
    t = await openTestKms();
    const [pss, enc] = await Promise.all([
      create({
        keySpec: 'RSA_2048',
        keyUsage: 'SIGN_VERIFY',
        usageConstraints: { allowedAlgorithms: ['RSASSA_PSS_SHA_256'] },
      }),
      create({ keySpec: 'RSA_2048', keyUsage: 'ENCRYPT_DECRYPT' }),
    ]);
    pssOnly = pss.keyId;
    rsaEncrypt = enc.keyId;
  });
  afterAll(async () => t?.cleanup());

  describe('allowedAlgorithms', () => {
    it('a key limited to RSASSA_PSS_SHA_256 signs and verifies with it and refuses others with INVALID_KEY_USAGE', async () => {
      const message = utf8('constrained');
      const { signature } = await t.kms.sign({ keyId: pssOnly, message, signingAlgorithm: 'RSASSA_PSS_SHA_256' });
      await t.kms.verify({ keyId: pssOnly, message, signature, signingAlgorithm: 'RSASSA_PSS_SHA_256' });
      await expectKmsError(
        t.kms.sign({ keyId: pssOnly, message, signingAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' }),
        'INVALID_KEY_USAGE',
      );
      await expectKmsError(
        t.kms.sign({ keyId: pssOnly, message, signingAlgorithm: 'RSASSA_PSS_SHA_384' }),
        'INVALID_KEY_USAGE',
      );
      await expectKmsError(
        t.kms.verify({ keyId: pssOnly, message, signature, signingAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' }),
        'INVALID_KEY_USAGE',
      );
      expect((await constraintsOf(pssOnly)).allowedAlgorithms).toEqual(['RSASSA_PSS_SHA_256']);
    });

    it('the public JWK of a key limited to one algorithm names it as alg', async () => {
      const { jwk } = await t.kms.getPublicKey({ keyId: pssOnly });
      expect(jwk.alg).toBe('PS256');
    });

    it('createKey naming an algorithm the key lacks fails with VALIDATION_ERROR and creates nothing', async () => {
      const before = await keyCount();
      await expectKmsError(
        t.kms.createKey({
          keySpec: 'ECC_NIST_P256',
          keyUsage: 'SIGN_VERIFY',
          usageConstraints: { allowedAlgorithms: ['ECDSA_SHA_384'] },
        }),
        'VALIDATION_ERROR',
      );
      await expectKmsError(
        t.kms.createKey({ usageConstraints: { allowedAlgorithms: ['HMAC_SHA_256'] } }),
        'VALIDATION_ERROR',
      );
      // An algorithm of the spec, but of another usage than the key's.
      await expectKmsError(
        t.kms.createKey({
          keySpec: 'ECC_NIST_P256',
          keyUsage: 'SIGN_VERIFY',
          usageConstraints: { allowedAlgorithms: ['ECDSA_SHA_256', 'ECDH'] },
        }),
        'VALIDATION_ERROR',
      );
      await expectKmsError(t.kms.createKey({ usageConstraints: { allowedAlgorithms: [] } }), 'VALIDATION_ERROR');
      expect(await keyCount()).toBe(before);
    });
  });

  describe('validity window', () => {
    it('before notBefore, encrypt and decrypt fail with KEY_NOT_YET_VALID; from notBefore on they work', async () => {
      const key = await create({});
      const { ciphertextBlob } = await t.kms.encrypt({ keyId: key.keyId, plaintext: utf8('early') });
      const notBefore = at(HOUR_MS);
      await t.kms.updateKeyConstraints({ keyId: key.keyId, notBefore });
      await expectKmsError(t.kms.encrypt({ keyId: key.keyId, plaintext: utf8('x') }), 'KEY_NOT_YET_VALID');
      await expectKmsError(t.kms.decrypt({ ciphertextBlob }), 'KEY_NOT_YET_VALID');
      await expectKmsError(t.kms.generateDataKey({ keyId: key.keyId, keySpec: 'AES_256' }), 'KEY_NOT_YET_VALID');

      const future = await create({ usageConstraints: { notBefore: at(HOUR_MS) } });
      expect(future.usageConstraints.notBefore?.getTime()).toBe(notBefore.getTime());
      await expectKmsError(t.kms.encrypt({ keyId: future.keyId, plaintext: utf8('x') }), 'KEY_NOT_YET_VALID');

      t.clock.advanceMs(HOUR_MS);
      expect(text((await t.kms.decrypt({ ciphertextBlob })).plaintext)).toBe('early');
      await t.kms.encrypt({ keyId: future.keyId, plaintext: utf8('now valid') });
    });

    it('before notBefore, verify and verifyMac fail with KEY_NOT_YET_VALID too', async () => {
      const signer = await create({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' });
      const mac = await create({ keySpec: 'HMAC_256' });
      const message = utf8('m');
      const { signature } = await t.kms.sign({ keyId: signer.keyId, message, signingAlgorithm: 'ECDSA_SHA_256' });
      const tag = (await t.kms.generateMac({ keyId: mac.keyId, message, macAlgorithm: 'HMAC_SHA_256' })).mac;
      await t.kms.updateKeyConstraints({ keyId: signer.keyId, notBefore: at(HOUR_MS) });
      await t.kms.updateKeyConstraints({ keyId: mac.keyId, notBefore: at(HOUR_MS) });
      await expectKmsError(
        t.kms.verify({ keyId: signer.keyId, message, signature, signingAlgorithm: 'ECDSA_SHA_256' }),
        'KEY_NOT_YET_VALID',
      );
      await expectKmsError(
        t.kms.verifyMac({ keyId: mac.keyId, message, mac: tag, macAlgorithm: 'HMAC_SHA_256' }),
        'KEY_NOT_YET_VALID',
      );
    });

    it('after notAfter, operations that protect new data fail with KEY_EXPIRED while decrypt, verify and verifyMac go on working', async () => {
      const notAfter = at(HOUR_MS);
      const [aes, other, signer, mac, deriver, agreement] = await Promise.all([
        create({ usageConstraints: { notAfter } }),
        create({}),
        create({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY', usageConstraints: { notAfter } }),
        create({ keySpec: 'HMAC_256', usageConstraints: { notAfter } }),
        create({ keySpec: 'AES_256', keyUsage: 'DERIVE_KEY', usageConstraints: { notAfter } }),
        create({ keySpec: 'ECC_NIST_P256', keyUsage: 'KEY_AGREEMENT', usageConstraints: { notAfter } }),
      ]);
      const message = utf8('signed in time');
      const { ciphertextBlob } = await t.kms.encrypt({
        keyId: aes.keyId,
        plaintext: utf8('protected in time'),
        encryptionContext: { c: '1' },
      });
      const dataKey = await t.kms.generateDataKey({ keyId: aes.keyId, numberOfBytes: 16 });
      const { signature } = await t.kms.sign({ keyId: signer.keyId, message, signingAlgorithm: 'ECDSA_SHA_256' });
      const tag = (await t.kms.generateMac({ keyId: mac.keyId, message, macAlgorithm: 'HMAC_SHA_256' })).mac;

      t.clock.advanceMs(HOUR_MS); // exactly notAfter: still valid
      await t.kms.encrypt({ keyId: aes.keyId, plaintext: utf8('last moment') });
      t.clock.advanceMs(1);

      await expectKmsError(t.kms.encrypt({ keyId: aes.keyId, plaintext: utf8('too late') }), 'KEY_EXPIRED');
      await expectKmsError(t.kms.generateDataKey({ keyId: aes.keyId, keySpec: 'AES_256' }), 'KEY_EXPIRED');
      await expectKmsError(
        t.kms.generateDataKeyWithoutPlaintext({ keyId: aes.keyId, keySpec: 'AES_256' }),
        'KEY_EXPIRED',
      );
      await expectKmsError(
        t.kms.generateDataKeyPair({ keyId: aes.keyId, keyPairSpec: 'ECC_NIST_P256' }),
        'KEY_EXPIRED',
      );
      await expectKmsError(
        t.kms.sign({ keyId: signer.keyId, message, signingAlgorithm: 'ECDSA_SHA_256' }),
        'KEY_EXPIRED',
      );
      await expectKmsError(
        t.kms.generateMac({ keyId: mac.keyId, message, macAlgorithm: 'HMAC_SHA_256' }),
        'KEY_EXPIRED',
      );
      await expectKmsError(
        t.kms.deriveKey({
          keyId: deriver.keyId,
          derivationAlgorithm: 'HKDF_SHA_256',
          salt: utf8('salt'),
          numberOfBytes: 32,
        }),
        'KEY_EXPIRED',
      );
      const peer = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' });
      await expectKmsError(
        t.kms.deriveSharedSecret({
          keyId: agreement.keyId,
          keyAgreementAlgorithm: 'ECDH',
          publicKey: new Uint8Array(peer),
        }),
        'KEY_EXPIRED',
      );
      const { ciphertextBlob: elsewhere } = await t.kms.encrypt({ keyId: other.keyId, plaintext: utf8('move me') });
      await expectKmsError(t.kms.reEncrypt({ ciphertextBlob: elsewhere, destinationKeyId: aes.keyId }), 'KEY_EXPIRED');

      expect(text((await t.kms.decrypt({ ciphertextBlob, encryptionContext: { c: '1' } })).plaintext)).toBe(
        'protected in time',
      );
      const dk = await t.kms.decrypt({ ciphertextBlob: dataKey.ciphertextBlob });
      expect(Buffer.from(dk.plaintext).equals(Buffer.from(dataKey.plaintext))).toBe(true);
      expect(
        (await t.kms.verify({ keyId: signer.keyId, message, signature, signingAlgorithm: 'ECDSA_SHA_256' }))
          .signatureValid,
      ).toBe(true);
      expect(
        (await t.kms.verifyMac({ keyId: mac.keyId, message, mac: tag, macAlgorithm: 'HMAC_SHA_256' })).macValid,
      ).toBe(true);
      // ReEncrypt out of an expired key only decrypts under it: allowed.
      const moved = await t.kms.reEncrypt({
        ciphertextBlob,
        sourceEncryptionContext: { c: '1' },
        destinationKeyId: other.keyId,
      });
      expect(text((await t.kms.decrypt({ ciphertextBlob: moved.ciphertextBlob })).plaintext)).toBe('protected in time');
    });

    it('notBefore at or after notAfter fails with VALIDATION_ERROR, at create and at update', async () => {
      const before = await keyCount();
      const instant = at(HOUR_MS);
      await expectKmsError(
        t.kms.createKey({ usageConstraints: { notBefore: instant, notAfter: instant } }),
        'VALIDATION_ERROR',
      );
      await expectKmsError(
        t.kms.createKey({ usageConstraints: { notBefore: at(2 * HOUR_MS), notAfter: at(HOUR_MS) } }),
        'VALIDATION_ERROR',
      );
      expect(await keyCount()).toBe(before);
      const key = await create({ usageConstraints: { notBefore: at(HOUR_MS), notAfter: at(3 * HOUR_MS) } });
      // Checked against the stored other end of the window.
      await expectKmsError(t.kms.updateKeyConstraints({ keyId: key.keyId, notAfter: at(HOUR_MS) }), 'VALIDATION_ERROR');
      await expectKmsError(
        t.kms.updateKeyConstraints({ keyId: key.keyId, notBefore: at(4 * HOUR_MS) }),
        'VALIDATION_ERROR',
      );
      const unchanged = await constraintsOf(key.keyId);
      expect(unchanged.notBefore?.getTime()).toBe(key.usageConstraints.notBefore?.getTime());
      expect(unchanged.notAfter?.getTime()).toBe(key.usageConstraints.notAfter?.getTime());
    });
  });

  describe('maxUses', () => {
    it('the use after the maximum fails with USAGE_LIMIT_EXCEEDED', async () => {
      const key = await create({ usageConstraints: { maxUses: 3 } });
      const blobs: Uint8Array[] = [];
      for (let i = 0; i < 3; i++)
        blobs.push((await t.kms.encrypt({ keyId: key.keyId, plaintext: utf8(`use ${i}`) })).ciphertextBlob);
      expect((await constraintsOf(key.keyId)).useCount).toBe(3);
      await expectKmsError(t.kms.encrypt({ keyId: key.keyId, plaintext: utf8('use 4') }), 'USAGE_LIMIT_EXCEEDED');
      await expectKmsError(t.kms.decrypt({ ciphertextBlob: blobs[0]! }), 'USAGE_LIMIT_EXCEEDED');
      expect((await constraintsOf(key.keyId)).useCount).toBe(3);
    });

    it('under 20 concurrent encrypts with maxUses 10, exactly 10 succeed', async () => {
      const key = await create({ usageConstraints: { maxUses: 10 } });
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => t.kms.encrypt({ keyId: key.keyId, plaintext: utf8(`c${i}`) })),
      );
      const ok = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(ok).toHaveLength(10);
      expect(refused.map((r) => (r.reason as { code?: string }).code)).toEqual(Array(10).fill('USAGE_LIMIT_EXCEEDED'));
      expect((await constraintsOf(key.keyId)).useCount).toBe(10);
    });

    it('sign, verify and MAC operations count against maxUses too', async () => {
      const signer = await create({
        keySpec: 'ECC_NIST_P256',
        keyUsage: 'SIGN_VERIFY',
        usageConstraints: { maxUses: 2 },
      });
      const message = utf8('m');
      const { signature } = await t.kms.sign({ keyId: signer.keyId, message, signingAlgorithm: 'ECDSA_SHA_256' });
      await t.kms.verify({ keyId: signer.keyId, message, signature, signingAlgorithm: 'ECDSA_SHA_256' });
      await expectKmsError(
        t.kms.verify({ keyId: signer.keyId, message, signature, signingAlgorithm: 'ECDSA_SHA_256' }),
        'USAGE_LIMIT_EXCEEDED',
      );
      const mac = await create({ keySpec: 'HMAC_384', usageConstraints: { maxUses: 1 } });
      await t.kms.generateMac({ keyId: mac.keyId, message, macAlgorithm: 'HMAC_SHA_384' });
      await expectKmsError(
        t.kms.generateMac({ keyId: mac.keyId, message, macAlgorithm: 'HMAC_SHA_384' }),
        'USAGE_LIMIT_EXCEEDED',
      );
    });

    it('requests refused as invalid do not count against maxUses', async () => {
      const signer = await create({
        keySpec: 'ECC_NIST_P256',
        keyUsage: 'SIGN_VERIFY',
        usageConstraints: { maxUses: 5 },
      });
      const wrongDigest = new Uint8Array(20);
      await expectKmsError(
        t.kms.sign({
          keyId: signer.keyId,
          message: wrongDigest,
          messageType: 'DIGEST',
          signingAlgorithm: 'ECDSA_SHA_256',
        }),
        'VALIDATION_ERROR',
      );
      await expectKmsError(
        t.kms.verify({
          keyId: signer.keyId,
          message: wrongDigest,
          messageType: 'DIGEST',
          signature: new Uint8Array(70),
          signingAlgorithm: 'ECDSA_SHA_256',
        }),
        'VALIDATION_ERROR',
      );
      await expectKmsError(
        t.kms.sign({ keyId: signer.keyId, message: utf8('m'), signingAlgorithm: 'ECDSA_SHA_384' }),
        'INVALID_KEY_USAGE',
      );
      expect((await constraintsOf(signer.keyId)).useCount).toBe(0);
      const digest = new Uint8Array(createHash('sha256').update('m').digest());
      await t.kms.sign({
        keyId: signer.keyId,
        message: digest,
        messageType: 'DIGEST',
        signingAlgorithm: 'ECDSA_SHA_256',
      });
      expect((await constraintsOf(signer.keyId)).useCount).toBe(1);

      await t.kms.updateKeyConstraints({ keyId: rsaEncrypt, maxUses: 5 });
      await expectKmsError(
        t.kms.encrypt({
          keyId: rsaEncrypt,
          plaintext: utf8('x'),
          encryptionAlgorithm: 'RSAES_OAEP_SHA_256',
          encryptionContext: { a: 'b' },
        }),
        'VALIDATION_ERROR',
      );
      await expectKmsError(
        t.kms.encrypt({ keyId: rsaEncrypt, plaintext: new Uint8Array(191), encryptionAlgorithm: 'RSAES_OAEP_SHA_256' }),
        'VALIDATION_ERROR',
      );
      expect((await constraintsOf(rsaEncrypt)).useCount).toBe(0);
      await t.kms.updateKeyConstraints({ keyId: rsaEncrypt, maxUses: null });

      const deriver = await create({ keySpec: 'AES_256', keyUsage: 'DERIVE_KEY', usageConstraints: { maxUses: 5 } });
      await expectKmsError(
        t.kms.deriveKey({
          keyId: deriver.keyId,
          derivationAlgorithm: 'PBKDF2_SHA_256',
          salt: utf8('short'),
          iterations: 1000,
          numberOfBytes: 32,
        }),
        'VALIDATION_ERROR',
      );
      await expectKmsError(
        t.kms.deriveKey({
          keyId: deriver.keyId,
          derivationAlgorithm: 'PBKDF2_SHA_256',
          salt: new Uint8Array(16),
          numberOfBytes: 32,
        }),
        'VALIDATION_ERROR',
      );
      expect((await constraintsOf(deriver.keyId)).useCount).toBe(0);

      const agreement = await create({ keySpec: 'X25519', usageConstraints: { maxUses: 5 } });
      await expectKmsError(
        t.kms.deriveSharedSecret({
          keyId: agreement.keyId,
          keyAgreementAlgorithm: 'ECDH',
          publicKey: utf8('not a key'),
        }),
        'INVALID_PUBLIC_KEY',
      );
      const lowOrder = new Uint8Array(
        Buffer.concat([Buffer.from('302a300506032b656e032100', 'hex'), Buffer.alloc(32)]),
      );
      await expectKmsError(
        t.kms.deriveSharedSecret({ keyId: agreement.keyId, keyAgreementAlgorithm: 'ECDH', publicKey: lowOrder }),
        'INVALID_PUBLIC_KEY',
      );
      expect((await constraintsOf(agreement.keyId)).useCount).toBe(0);
    });
  });

  describe('updateKeyConstraints', () => {
    it('changes each constraint, leaves absent ones unchanged, and clears them with null; describeKey reflects it', async () => {
      const key = await create({ keySpec: 'HMAC_256' });
      expect(key.usageConstraints).toEqual({ useCount: 0 });
      const notBefore = at(-HOUR_MS);
      const notAfter = at(10 * HOUR_MS);
      const updated = await t.kms.updateKeyConstraints({
        keyId: key.keyId,
        allowedAlgorithms: ['HMAC_SHA_256'],
        notBefore,
        notAfter,
        maxUses: 5,
      });
      expect(updated.keyMetadata.usageConstraints).toEqual({
        allowedAlgorithms: ['HMAC_SHA_256'],
        notBefore,
        notAfter,
        maxUses: 5,
        useCount: 0,
      });
      expect(await constraintsOf(key.keyId)).toEqual({
        allowedAlgorithms: ['HMAC_SHA_256'],
        notBefore,
        notAfter,
        maxUses: 5,
        useCount: 0,
      });

      await t.kms.generateMac({ keyId: key.keyId, message: utf8('m'), macAlgorithm: 'HMAC_SHA_256' });
      await t.kms.generateMac({ keyId: key.keyId, message: utf8('m'), macAlgorithm: 'HMAC_SHA_256' });
      expect((await constraintsOf(key.keyId)).useCount).toBe(2);

      await t.kms.updateKeyConstraints({ keyId: key.keyId, maxUses: 3 });
      expect(await constraintsOf(key.keyId)).toEqual({
        allowedAlgorithms: ['HMAC_SHA_256'],
        notBefore,
        notAfter,
        maxUses: 3,
        useCount: 2,
      });
      await t.kms.generateMac({ keyId: key.keyId, message: utf8('m'), macAlgorithm: 'HMAC_SHA_256' });
      await expectKmsError(
        t.kms.generateMac({ keyId: key.keyId, message: utf8('m'), macAlgorithm: 'HMAC_SHA_256' }),
        'USAGE_LIMIT_EXCEEDED',
      );

      await t.kms.updateKeyConstraints({ keyId: key.keyId, notBefore: null, maxUses: null });
      expect(await constraintsOf(key.keyId)).toEqual({ allowedAlgorithms: ['HMAC_SHA_256'], notAfter, useCount: 3 });
      await t.kms.generateMac({ keyId: key.keyId, message: utf8('m'), macAlgorithm: 'HMAC_SHA_256' });

      await t.kms.updateKeyConstraints({ keyId: key.keyId, allowedAlgorithms: null, notAfter: null });
      const cleared = await constraintsOf(key.keyId);
      expect(cleared.allowedAlgorithms).toBeUndefined();
      expect(cleared.notBefore).toBeUndefined();
      expect(cleared.notAfter).toBeUndefined();
      expect(cleared.maxUses).toBeUndefined();
    });

    it('a cleared notAfter lets an expired key protect new data again; a restored one stops it', async () => {
      const key = await create({ usageConstraints: { notAfter: at(HOUR_MS) } });
      t.clock.advanceMs(HOUR_MS + 1);
      await expectKmsError(t.kms.encrypt({ keyId: key.keyId, plaintext: utf8('x') }), 'KEY_EXPIRED');
      await t.kms.updateKeyConstraints({ keyId: key.keyId, notAfter: null });
      await t.kms.encrypt({ keyId: key.keyId, plaintext: utf8('x') });
      await t.kms.updateKeyConstraints({ keyId: key.keyId, notAfter: at(-1) });
      await expectKmsError(t.kms.encrypt({ keyId: key.keyId, plaintext: utf8('x') }), 'KEY_EXPIRED');
    });

    it('allowedAlgorithms set by update are enforced with INVALID_KEY_USAGE', async () => {
      const key = await create({ keySpec: 'AES_256', keyUsage: 'DERIVE_KEY' });
      await t.kms.updateKeyConstraints({ keyId: key.keyId, allowedAlgorithms: ['HKDF_SHA_512'] });
      await t.kms.deriveKey({
        keyId: key.keyId,
        derivationAlgorithm: 'HKDF_SHA_512',
        salt: utf8('s'),
        numberOfBytes: 16,
      });
      await expectKmsError(
        t.kms.deriveKey({ keyId: key.keyId, derivationAlgorithm: 'HKDF_SHA_256', salt: utf8('s'), numberOfBytes: 16 }),
        'INVALID_KEY_USAGE',
      );
    });

    it('fails with VALIDATION_ERROR for an algorithm the key lacks, an empty list or maxUses 0, changing nothing', async () => {
      const key = await create({ usageConstraints: { maxUses: 7 } });
      await expectKmsError(
        t.kms.updateKeyConstraints({ keyId: key.keyId, allowedAlgorithms: ['RSAES_OAEP_SHA_256'] }),
        'VALIDATION_ERROR',
      );
      await expectKmsError(t.kms.updateKeyConstraints({ keyId: key.keyId, allowedAlgorithms: [] }), 'VALIDATION_ERROR');
      await expectKmsError(t.kms.updateKeyConstraints({ keyId: key.keyId, maxUses: 0 }), 'VALIDATION_ERROR');
      expect(await constraintsOf(key.keyId)).toEqual({ maxUses: 7, useCount: 0 });
    });
  });
});
