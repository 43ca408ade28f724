// The Kms contract: one suite for every implementation (STYLE §9; jose passes the library into one suite per
// runtime). It checks what a caller relies on, through the Kms interface only: results, types (Uint8Array bytes,
// Date dates) and errors (class and code). local.test.ts runs it on LocalKms, remote.test.ts on RemoteKms
// against a real server.
import {
  constants,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  publicEncrypt,
  randomBytes,
  randomUUID,
  sign as nodeSign,
  verify as nodeVerify,
} from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';
import {
  AccessDeniedError,
  ConflictError,
  InvalidCiphertextError,
  InvalidStateError,
  LimitExceededError,
  NotFoundError,
  UnsupportedError,
  ValidationError,
  VerificationFailedError,
  type Caller,
  type CreateKeyRequest,
  type Kms,
  type KeyMetadata,
  type Role,
  type SigningAlgorithm,
} from '@custos/contract';
import { wrapForImport } from '../../src/core/algorithms/rsa.js';

/** One implementation under test: an administrator's Kms, Kms instances acting with one role, and clean-up. */
export interface KmsUnderTest {
  /** A Kms acting as an administrator. */
  readonly kms: Kms;
  /** A Kms acting as a principal holding only `role`. */
  asRole(role: Role): Promise<Kms>;
  cleanup(): Promise<void>;
}

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
const DAY_MS = 24 * 60 * 60 * 1000;

function expectBytes(value: unknown, length?: number): asserts value is Uint8Array {
  expect(value).toBeInstanceOf(Uint8Array);
  if (length !== undefined) expect((value as Uint8Array).byteLength).toBe(length);
}

function expectDate(value: unknown): asserts value is Date {
  expect(value).toBeInstanceOf(Date);
  expect(Number.isNaN((value as Date).getTime())).toBe(false);
}

function flipByte(bytes: Uint8Array, index: number): Uint8Array {
  const copy = new Uint8Array(bytes);
  copy[index] = copy[index]! ^ 0x01;
  return copy;
}

const spkiKey = (der: Uint8Array) => createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' });

/**
 * Registers the contract suite for one implementation. `make` is called once, before the suite; keys the suite
 * needs more than once (one RSA_2048 signing key and one RSA_2048 encryption key: generation is slow) are
 * created then and shared.
 *
 * @example
 * describeKmsContract('LocalKms', async () => ({ kms, asRole: async (role) => withRole(kms, role), cleanup }));
 */
export function describeKmsContract(name: string, make: () => Promise<KmsUnderTest>): void {
  describe(`Kms contract: ${name}`, () => {
    let under: KmsUnderTest;
    let kms: Kms;
    const run = randomUUID().slice(0, 8);
    const shared = {} as {
      aes: string;
      aes2: string;
      rsaSign: string;
      rsaEncrypt: string;
      p256: string;
      ed25519: string;
      hmac: string;
    };

    const create = async (request: CreateKeyRequest = {}): Promise<KeyMetadata> =>
      (await kms.createKey(request)).keyMetadata;
    const createId = async (request: CreateKeyRequest = {}): Promise<string> => (await create(request)).keyId;

    beforeAll(async () => {
      under = await make();
      kms = under.kms;
      const [aes, aes2, rsaSign, rsaEncrypt, p256, ed25519, hmac] = await Promise.all([
        createId(),
        createId({ description: 'second AES key' }),
        createId({ keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY' }),
        createId({ keySpec: 'RSA_2048', keyUsage: 'ENCRYPT_DECRYPT' }),
        createId({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' }),
        createId({ keySpec: 'ECC_NIST_EDWARDS25519', keyUsage: 'SIGN_VERIFY' }),
        createId({ keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC' }),
      ]);
      Object.assign(shared, { aes, aes2, rsaSign, rsaEncrypt, p256, ed25519, hmac });
    });
    afterAll(async () => {
      await under?.cleanup();
    });

    describe('keys', () => {
      it('createKey makes an Enabled SYMMETRIC_DEFAULT key by default, with Date and ARN fields; describeKey by id or ARN returns the same', async () => {
        const meta = await create({ description: 'contract' });
        expect(meta.keySpec).toBe('SYMMETRIC_DEFAULT');
        expect(meta.keyUsage).toBe('ENCRYPT_DECRYPT');
        expect(meta.keyState).toBe('Enabled');
        expect(meta.enabled).toBe(true);
        expect(meta.origin).toBe('AWS_KMS');
        expect(meta.description).toBe('contract');
        expect(meta.arn.endsWith(`:key/${meta.keyId}`)).toBe(true);
        expectDate(meta.creationDate);
        expect(Math.abs(meta.creationDate.getTime() - Date.now())).toBeLessThan(60_000);
        expect(meta.usageConstraints.useCount).toBe(0);
        expect((await kms.describeKey({ keyId: meta.keyId })).keyMetadata).toEqual(meta);
        expect((await kms.describeKey({ keyId: meta.arn })).keyMetadata).toEqual(meta);
      });

      it('listKeys pages with limit and marker, returning each key exactly once', async () => {
        const mine = await Promise.all([1, 2, 3, 4, 5].map(() => createId()));
        const seen: string[] = [];
        let marker: string | undefined;
        let pages = 0;
        do {
          const page = await kms.listKeys({ limit: 2, ...(marker ? { marker } : {}) });
          expect(page.keys.length).toBeLessThanOrEqual(2);
          for (const entry of page.keys) expect(entry.keyArn.endsWith(`:key/${entry.keyId}`)).toBe(true);
          seen.push(...page.keys.map((k) => k.keyId));
          expect(page.truncated).toBe(page.nextMarker !== undefined);
          marker = page.nextMarker;
          pages += 1;
        } while (marker && pages < 100);
        expect(new Set(seen).size).toBe(seen.length);
        for (const id of mine) expect(seen).toContain(id);
        expect(pages).toBeGreaterThanOrEqual(3);
      });

      it('updateKeyDescription changes what describeKey reports', async () => {
        const id = await createId({ description: 'before' });
        await kms.updateKeyDescription({ keyId: id, description: 'after: with / and : and ünïcode' });
        expect((await kms.describeKey({ keyId: id })).keyMetadata.description).toBe('after: with / and : and ünïcode');
      });

      it('disableKey makes the key refuse use with KEY_DISABLED; enableKey restores it', async () => {
        const id = await createId();
        const { ciphertextBlob } = await kms.encrypt({ keyId: id, plaintext: utf8('x') });
        await kms.disableKey({ keyId: id });
        const meta = (await kms.describeKey({ keyId: id })).keyMetadata;
        expect(meta.keyState).toBe('Disabled');
        expect(meta.enabled).toBe(false);
        await expectKmsError(kms.encrypt({ keyId: id, plaintext: utf8('x') }), 'KEY_DISABLED', InvalidStateError);
        await expectKmsError(kms.decrypt({ ciphertextBlob }), 'KEY_DISABLED', InvalidStateError);
        await kms.enableKey({ keyId: id });
        expect((await kms.describeKey({ keyId: id })).keyMetadata.keyState).toBe('Enabled');
        expect(hex((await kms.decrypt({ ciphertextBlob })).plaintext)).toBe(hex(utf8('x')));
      });

      it('scheduleKeyDeletion puts the key in PendingDeletion with a deletion Date; cancelKeyDeletion leaves it Disabled', async () => {
        const id = await createId();
        const scheduled = await kms.scheduleKeyDeletion({ keyId: id, pendingWindowInDays: 7 });
        expect(scheduled.keyState).toBe('PendingDeletion');
        expect(scheduled.pendingWindowInDays).toBe(7);
        expectDate(scheduled.deletionDate);
        expect(Math.abs(scheduled.deletionDate.getTime() - (Date.now() + 7 * DAY_MS))).toBeLessThan(DAY_MS / 2);
        const meta = (await kms.describeKey({ keyId: id })).keyMetadata;
        expect(meta.keyState).toBe('PendingDeletion');
        expectDate(meta.deletionDate);
        await expectKmsError(kms.encrypt({ keyId: id, plaintext: utf8('x') }), 'INVALID_KEY_STATE', InvalidStateError);
        await expectKmsError(
          kms.scheduleKeyDeletion({ keyId: id, pendingWindowInDays: 7 }),
          'INVALID_KEY_STATE',
          InvalidStateError,
        );
        await kms.cancelKeyDeletion({ keyId: id });
        const after = (await kms.describeKey({ keyId: id })).keyMetadata;
        expect(after.keyState).toBe('Disabled');
        expect(after.deletionDate).toBeUndefined();
        await kms.enableKey({ keyId: id });
        await kms.encrypt({ keyId: id, plaintext: utf8('x') });
      });
    });

    describe('aliases', () => {
      it("an alias with '/' in its name names the key in describeKey and encrypt; listAliases shows it with dates", async () => {
        const meta = await create();
        const aliasName = `alias/contract-${run}/orders/eu`;
        await kms.createAlias({ aliasName, targetKeyId: meta.keyId });
        expect((await kms.describeKey({ keyId: aliasName })).keyMetadata.keyId).toBe(meta.keyId);
        const aliasArn = meta.arn.replace(/key\/.*$/, aliasName);
        expect((await kms.describeKey({ keyId: aliasArn })).keyMetadata.keyId).toBe(meta.keyId);
        const encrypted = await kms.encrypt({ keyId: aliasName, plaintext: utf8('by alias') });
        expect(encrypted.keyId).toBe(meta.arn);
        const { aliases } = await kms.listAliases({ keyId: meta.keyId });
        expect(aliases.map((a) => a.aliasName)).toEqual([aliasName]);
        expect(aliases[0]!.aliasArn).toBe(aliasArn);
        expect(aliases[0]!.targetKeyId).toBe(meta.keyId);
        expectDate(aliases[0]!.creationDate);
      });

      it('updateAlias points the alias at another key; deleteAlias removes it and never the key', async () => {
        const [a, b] = await Promise.all([createId(), createId()]);
        const aliasName = `alias/contract-${run}/moving`;
        await kms.createAlias({ aliasName, targetKeyId: a });
        await kms.updateAlias({ aliasName, targetKeyId: b });
        expect((await kms.describeKey({ keyId: aliasName })).keyMetadata.keyId).toBe(b);
        await kms.deleteAlias({ aliasName });
        await expectKmsError(kms.describeKey({ keyId: aliasName }), 'ALIAS_NOT_FOUND', NotFoundError);
        expect((await kms.describeKey({ keyId: b })).keyMetadata.keyState).toBe('Enabled');
      });

      it('listAliases pages with limit and marker', async () => {
        const id = await createId();
        const names = [1, 2, 3].map((i) => `alias/contract-${run}/page-${i}`);
        for (const aliasName of names) await kms.createAlias({ aliasName, targetKeyId: id });
        const first = await kms.listAliases({ keyId: id, limit: 2 });
        expect(first.aliases).toHaveLength(2);
        expect(first.truncated).toBe(true);
        const second = await kms.listAliases({ keyId: id, limit: 2, marker: first.nextMarker! });
        expect(second.truncated).toBe(false);
        expect([...first.aliases, ...second.aliases].map((a) => a.aliasName)).toEqual(names);
      });
    });

    describe('tags', () => {
      it('createKey tags are listed by tag key; tagResource adds and overwrites; untagResource removes', async () => {
        const id = await createId({
          tags: [
            { tagKey: 'team', tagValue: 'payments' },
            { tagKey: 'env', tagValue: 'prod' },
          ],
        });
        expect((await kms.listResourceTags({ keyId: id })).tags).toEqual([
          { tagKey: 'env', tagValue: 'prod' },
          { tagKey: 'team', tagValue: 'payments' },
        ]);
        await kms.tagResource({
          keyId: id,
          tags: [
            { tagKey: 'env', tagValue: 'staging' },
            { tagKey: 'cost-centre', tagValue: '42' },
          ],
        });
        await kms.untagResource({ keyId: id, tagKeys: ['team', 'absent'] });
        const listed = await kms.listResourceTags({ keyId: id });
        expect(listed.tags).toEqual([
          { tagKey: 'cost-centre', tagValue: '42' },
          { tagKey: 'env', tagValue: 'staging' },
        ]);
        expect(listed.truncated).toBe(false);
      });
    });

    describe('encryption', () => {
      const everyByte = new Uint8Array(256).map((_, i) => i);
      const context = { tenant: 'acme', 'purpose/with:chars': 'ünïcode ✓' };

      it('encrypt and decrypt round-trip every byte value exactly, with an encryption context, without naming the key', async () => {
        const encrypted = await kms.encrypt({ keyId: shared.aes, plaintext: everyByte, encryptionContext: context });
        expectBytes(encrypted.ciphertextBlob);
        expect(encrypted.encryptionAlgorithm).toBe('SYMMETRIC_DEFAULT');
        expect(encrypted.keyId.endsWith(`:key/${shared.aes}`)).toBe(true);
        const decrypted = await kms.decrypt({ ciphertextBlob: encrypted.ciphertextBlob, encryptionContext: context });
        expectBytes(decrypted.plaintext, 256);
        expect(hex(decrypted.plaintext)).toBe(hex(everyByte));
        expect(decrypted.keyId).toBe(encrypted.keyId);
        const again = await kms.encrypt({ keyId: shared.aes, plaintext: everyByte, encryptionContext: context });
        expect(hex(again.ciphertextBlob)).not.toBe(hex(encrypted.ciphertextBlob));
      });

      it('decrypt fails with INVALID_CIPHERTEXT (one fixed message) for a wrong or missing context, or an altered blob', async () => {
        const { ciphertextBlob } = await kms.encrypt({
          keyId: shared.aes,
          plaintext: utf8('secret'),
          encryptionContext: context,
        });
        // Thunks, called one at a time: a rejection must never wait unobserved while another is awaited.
        for (const attempt of [
          () => kms.decrypt({ ciphertextBlob, encryptionContext: { tenant: 'other' } }),
          () => kms.decrypt({ ciphertextBlob }),
          () =>
            kms.decrypt({
              ciphertextBlob: flipByte(ciphertextBlob, ciphertextBlob.length - 1),
              encryptionContext: context,
            }),
          () => kms.decrypt({ ciphertextBlob: ciphertextBlob.slice(0, 20), encryptionContext: context }),
        ]) {
          const error = await expectKmsError(attempt(), 'INVALID_CIPHERTEXT', InvalidCiphertextError);
          expect(error.message).toBe(InvalidCiphertextError.MESSAGE);
        }
      });

      it('reEncrypt moves a ciphertext to another key and context without exposing the plaintext', async () => {
        const { ciphertextBlob } = await kms.encrypt({
          keyId: shared.aes,
          plaintext: everyByte,
          encryptionContext: { from: 'a' },
        });
        const moved = await kms.reEncrypt({
          ciphertextBlob,
          sourceEncryptionContext: { from: 'a' },
          destinationKeyId: shared.aes2,
          destinationEncryptionContext: { to: 'b' },
        });
        expectBytes(moved.ciphertextBlob);
        expect(moved.sourceKeyId.endsWith(shared.aes)).toBe(true);
        expect(moved.keyId.endsWith(shared.aes2)).toBe(true);
        expect('plaintext' in moved).toBe(false);
        const decrypted = await kms.decrypt({ ciphertextBlob: moved.ciphertextBlob, encryptionContext: { to: 'b' } });
        expect(hex(decrypted.plaintext)).toBe(hex(everyByte));
        await expectKmsError(
          kms.decrypt({ ciphertextBlob: moved.ciphertextBlob, encryptionContext: { from: 'a' } }),
          'INVALID_CIPHERTEXT',
          InvalidCiphertextError,
        );
      });

      it('RSA_2048 encrypts with RSAES_OAEP_SHA_256; a node:crypto OAEP ciphertext under its public key decrypts', async () => {
        const plaintext = utf8('oaep plaintext');
        const encrypted = await kms.encrypt({
          keyId: shared.rsaEncrypt,
          plaintext,
          encryptionAlgorithm: 'RSAES_OAEP_SHA_256',
        });
        expectBytes(encrypted.ciphertextBlob, 256);
        const decrypted = await kms.decrypt({
          ciphertextBlob: encrypted.ciphertextBlob,
          keyId: shared.rsaEncrypt,
          encryptionAlgorithm: 'RSAES_OAEP_SHA_256',
        });
        expect(hex(decrypted.plaintext)).toBe(hex(plaintext));
        const { publicKey } = await kms.getPublicKey({ keyId: shared.rsaEncrypt });
        const byNode = publicEncrypt(
          { key: spkiKey(publicKey), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
          plaintext,
        );
        const fromNode = await kms.decrypt({
          ciphertextBlob: new Uint8Array(byNode),
          keyId: shared.rsaEncrypt,
          encryptionAlgorithm: 'RSAES_OAEP_SHA_256',
        });
        expect(hex(fromNode.plaintext)).toBe(hex(plaintext));
      });
    });

    describe('data keys and random bytes', () => {
      it('generateDataKey returns the plaintext key and a blob that decrypts to it under the same context', async () => {
        for (const [request, bytes] of [
          [{ keySpec: 'AES_256' as const }, 32],
          [{ keySpec: 'AES_128' as const }, 16],
          [{ numberOfBytes: 64 }, 64],
        ] as const) {
          const dataKey = await kms.generateDataKey({
            keyId: shared.aes,
            encryptionContext: { file: 'f1' },
            ...request,
          });
          expectBytes(dataKey.plaintext, bytes);
          expectBytes(dataKey.ciphertextBlob);
          const { plaintext } = await kms.decrypt({
            ciphertextBlob: dataKey.ciphertextBlob,
            encryptionContext: { file: 'f1' },
          });
          expect(hex(plaintext)).toBe(hex(dataKey.plaintext));
        }
      });

      it('generateDataKeyWithoutPlaintext returns only the blob, which decrypts to a key of the size asked', async () => {
        const dataKey = await kms.generateDataKeyWithoutPlaintext({ keyId: shared.aes, keySpec: 'AES_256' });
        expect('plaintext' in dataKey).toBe(false);
        expectBytes((await kms.decrypt({ ciphertextBlob: dataKey.ciphertextBlob })).plaintext, 32);
      });

      it('generateDataKeyPair (P-256): the PKCS#8 private key matches the SPKI public key, and the blob decrypts to it', async () => {
        const pair = await kms.generateDataKeyPair({
          keyId: shared.aes,
          keyPairSpec: 'ECC_NIST_P256',
          encryptionContext: { k: 'v' },
        });
        expectBytes(pair.publicKey);
        expectBytes(pair.privateKeyPlaintext);
        expectBytes(pair.privateKeyCiphertextBlob);
        expect(pair.keyPairSpec).toBe('ECC_NIST_P256');
        const privateKey = createPrivateKey({
          key: Buffer.from(pair.privateKeyPlaintext),
          format: 'der',
          type: 'pkcs8',
        });
        const derivedPublic = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
        expect(derivedPublic.toString('hex')).toBe(hex(pair.publicKey));
        const { plaintext } = await kms.decrypt({
          ciphertextBlob: pair.privateKeyCiphertextBlob,
          encryptionContext: { k: 'v' },
        });
        expect(hex(plaintext)).toBe(hex(pair.privateKeyPlaintext));
      });

      it('generateDataKeyPairWithoutPlaintext (Ed25519) returns no private plaintext; the blob holds the matching key', async () => {
        const pair = await kms.generateDataKeyPairWithoutPlaintext({
          keyId: shared.aes,
          keyPairSpec: 'ECC_NIST_EDWARDS25519',
        });
        expect('privateKeyPlaintext' in pair).toBe(false);
        const { plaintext } = await kms.decrypt({ ciphertextBlob: pair.privateKeyCiphertextBlob });
        const privateKey = createPrivateKey({ key: Buffer.from(plaintext), format: 'der', type: 'pkcs8' });
        expect(createPublicKey(privateKey).export({ type: 'spki', format: 'der' }).toString('hex')).toBe(
          hex(pair.publicKey),
        );
      });

      it('generateRandom returns the bytes asked for, different each call', async () => {
        const a = await kms.generateRandom({ numberOfBytes: 32 });
        const b = await kms.generateRandom({ numberOfBytes: 32 });
        expectBytes(a.plaintext, 32);
        expect(hex(a.plaintext)).not.toBe(hex(b.plaintext));
        expectBytes((await kms.generateRandom({ numberOfBytes: 1024 })).plaintext, 1024);
      });
    });

    describe('signatures', () => {
      const message = utf8('the message to sign');
      const cases: [keyof typeof shared, SigningAlgorithm, (spki: Uint8Array, signature: Uint8Array) => boolean][] = [
        [
          'p256',
          'ECDSA_SHA_256',
          (spki, sig) => nodeVerify('sha256', message, { key: spkiKey(spki), dsaEncoding: 'der' }, sig),
        ],
        ['ed25519', 'ED25519_SHA_512', (spki, sig) => nodeVerify(null, message, spkiKey(spki), sig)],
        [
          'rsaSign',
          'RSASSA_PSS_SHA_256',
          (spki, sig) =>
            nodeVerify(
              'sha256',
              message,
              { key: spkiKey(spki), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
              sig,
            ),
        ],
        [
          'rsaSign',
          'RSASSA_PKCS1_V1_5_SHA_256',
          (spki, sig) =>
            nodeVerify('sha256', message, { key: spkiKey(spki), padding: constants.RSA_PKCS1_PADDING }, sig),
        ],
      ];
      for (const [key, algorithm, nodeVerifies] of cases) {
        it(`${algorithm}: sign, verify, and node:crypto verifies under getPublicKey's SPKI; an altered signature fails with INVALID_SIGNATURE`, async () => {
          const keyId = shared[key];
          const signed = await kms.sign({ keyId, message, signingAlgorithm: algorithm });
          expectBytes(signed.signature);
          expect(signed.signingAlgorithm).toBe(algorithm);
          const verified = await kms.verify({
            keyId,
            message,
            signature: signed.signature,
            signingAlgorithm: algorithm,
          });
          expect(verified.signatureValid).toBe(true);
          const { publicKey } = await kms.getPublicKey({ keyId });
          expect(nodeVerifies(publicKey, signed.signature)).toBe(true);
          await expectKmsError(
            kms.verify({ keyId, message, signature: flipByte(signed.signature, 10), signingAlgorithm: algorithm }),
            'INVALID_SIGNATURE',
            VerificationFailedError,
          );
          await expectKmsError(
            kms.verify({
              keyId,
              message: utf8('another message'),
              signature: signed.signature,
              signingAlgorithm: algorithm,
            }),
            'INVALID_SIGNATURE',
            VerificationFailedError,
          );
        });
      }

      it('ECDSA_SHA_256 signs a DIGEST: the signature verifies over the RAW message too', async () => {
        const hash = new Uint8Array(createHash('sha256').update(message).digest());
        const signed = await kms.sign({
          keyId: shared.p256,
          message: hash,
          messageType: 'DIGEST',
          signingAlgorithm: 'ECDSA_SHA_256',
        });
        const verified = await kms.verify({
          keyId: shared.p256,
          message,
          signature: signed.signature,
          signingAlgorithm: 'ECDSA_SHA_256',
        });
        expect(verified.signatureValid).toBe(true);
      });

      it('getPublicKey returns SPKI DER and the same key as a JWK whose kid is the key id', async () => {
        const meta = (await kms.describeKey({ keyId: shared.p256 })).keyMetadata;
        const result = await kms.getPublicKey({ keyId: shared.p256 });
        expectBytes(result.publicKey);
        expect(result.keySpec).toBe('ECC_NIST_P256');
        expect(result.keyUsage).toBe('SIGN_VERIFY');
        expect(result.signingAlgorithms).toEqual(['ECDSA_SHA_256']);
        expect(result.jwk).toMatchObject({ kty: 'EC', crv: 'P-256', kid: meta.keyId });
        expect(result.jwk.d).toBeUndefined();
        const fromJwk = createPublicKey({ key: result.jwk as never, format: 'jwk' }).export({
          type: 'spki',
          format: 'der',
        });
        expect(fromJwk.toString('hex')).toBe(hex(result.publicKey));
        const rsa = await kms.getPublicKey({ keyId: shared.rsaSign });
        expect(rsa.jwk.kty).toBe('RSA');
        expect(spkiKey(rsa.publicKey).asymmetricKeyDetails?.modulusLength).toBe(2048);
      });
    });

    describe('MAC, key agreement and key derivation', () => {
      it('generateMac and verifyMac (HMAC_SHA_256); an altered MAC fails with INVALID_MAC', async () => {
        const message = utf8('mac me');
        const { mac, macAlgorithm } = await kms.generateMac({
          keyId: shared.hmac,
          message,
          macAlgorithm: 'HMAC_SHA_256',
        });
        expectBytes(mac, 32);
        expect(macAlgorithm).toBe('HMAC_SHA_256');
        expect((await kms.verifyMac({ keyId: shared.hmac, message, mac, macAlgorithm: 'HMAC_SHA_256' })).macValid).toBe(
          true,
        );
        await expectKmsError(
          kms.verifyMac({ keyId: shared.hmac, message, mac: flipByte(mac, 0), macAlgorithm: 'HMAC_SHA_256' }),
          'INVALID_MAC',
          VerificationFailedError,
        );
      });

      it("deriveSharedSecret (P-256 ECDH) equals node's diffieHellman from the peer's side", async () => {
        const keyId = await createId({ keySpec: 'ECC_NIST_P256', keyUsage: 'KEY_AGREEMENT' });
        const peer = generateKeyPairSync('ec', { namedCurve: 'P-256' });
        const peerSpki = new Uint8Array(peer.publicKey.export({ type: 'spki', format: 'der' }));
        const result = await kms.deriveSharedSecret({ keyId, keyAgreementAlgorithm: 'ECDH', publicKey: peerSpki });
        expectBytes(result.sharedSecret, 32);
        expect(result.keyOrigin).toBe('AWS_KMS');
        const { publicKey } = await kms.getPublicKey({ keyId });
        const expected = diffieHellman({ privateKey: peer.privateKey, publicKey: spkiKey(publicKey) });
        expect(hex(result.sharedSecret)).toBe(expected.toString('hex'));
      });

      it('deriveKey (HKDF_SHA_256) returns the bytes node:crypto derives from the exported key, and stores a usable AES key', async () => {
        const keyId = await createId({ keySpec: 'HMAC_256', keyUsage: 'DERIVE_KEY', exportable: true });
        const salt = utf8('salt');
        const info = utf8('context info');
        const derived = await kms.deriveKey({
          keyId,
          derivationAlgorithm: 'HKDF_SHA_256',
          salt,
          info,
          numberOfBytes: 32,
        });
        expectBytes(derived.plaintext, 32);
        const { jwk } = await kms.exportKey({ keyId, format: 'JWK' });
        const material = Buffer.from(jwk!.k!, 'base64url');
        expect(hex(derived.plaintext)).toBe(Buffer.from(hkdfSync('sha256', material, salt, info, 32)).toString('hex'));

        const stored = await kms.deriveKey({
          keyId,
          derivationAlgorithm: 'HKDF_SHA_256',
          salt,
          info: utf8('other'),
          storeAs: { keySpec: 'AES_256' },
        });
        expect(stored.plaintext).toBeUndefined();
        const newKey = stored.keyMetadata!;
        expect(newKey.keyUsage).toBe('ENCRYPT_DECRYPT');
        expectDate(newKey.creationDate);
        const { ciphertextBlob } = await kms.encrypt({ keyId: newKey.keyId, plaintext: utf8('derived') });
        expect(hex((await kms.decrypt({ ciphertextBlob })).plaintext)).toBe(hex(utf8('derived')));
      });
    });

    describe('rotation', () => {
      it('rotateKeyOnDemand adds a version: old ciphertexts still decrypt, listKeyRotations shows it with a Date', async () => {
        const keyId = await createId();
        const old = await kms.encrypt({ keyId, plaintext: utf8('before rotation') });
        const rotated = await kms.rotateKeyOnDemand({ keyId });
        expect(rotated.keyId.endsWith(keyId)).toBe(true);
        expect((await kms.describeKey({ keyId })).keyMetadata.currentKeyVersion).toBe(2);
        expect(hex((await kms.decrypt({ ciphertextBlob: old.ciphertextBlob })).plaintext)).toBe(
          hex(utf8('before rotation')),
        );
        const { rotations, truncated } = await kms.listKeyRotations({ keyId });
        expect(truncated).toBe(false);
        expect(rotations).toHaveLength(1);
        expect(rotations[0]!.rotationType).toBe('ON_DEMAND');
        expect(rotations[0]!.keyVersion).toBe(2);
        expectDate(rotations[0]!.rotationDate);
        const fresh = await kms.encrypt({ keyId, plaintext: utf8('after') });
        expect(hex((await kms.decrypt({ ciphertextBlob: fresh.ciphertextBlob })).plaintext)).toBe(hex(utf8('after')));
      });

      it('enableKeyRotation and disableKeyRotation show in getKeyRotationStatus, with the next rotation as a Date', async () => {
        const keyId = await createId();
        expect((await kms.getKeyRotationStatus({ keyId })).keyRotationEnabled).toBe(false);
        await kms.enableKeyRotation({ keyId, rotationPeriodInDays: 90 });
        const status = await kms.getKeyRotationStatus({ keyId });
        expect(status.keyRotationEnabled).toBe(true);
        expect(status.rotationPeriodInDays).toBe(90);
        expectDate(status.nextRotationDate);
        expect(Math.abs(status.nextRotationDate.getTime() - (Date.now() + 90 * DAY_MS))).toBeLessThan(DAY_MS);
        await kms.disableKeyRotation({ keyId });
        expect((await kms.getKeyRotationStatus({ keyId })).keyRotationEnabled).toBe(false);
      });
    });

    describe('import and export of key material', () => {
      it('imports known HMAC material (getParametersForImport, wrapForImport, importKeyMaterial); the MAC equals node HMAC under it', async () => {
        const material = new Uint8Array(randomBytes(32));
        const keyId = await createId({ keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC', origin: 'EXTERNAL' });
        expect((await kms.describeKey({ keyId })).keyMetadata.keyState).toBe('PendingImport');
        const params = await kms.getParametersForImport({
          keyId,
          wrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256',
          wrappingKeySpec: 'RSA_2048',
        });
        expectBytes(params.importToken);
        expectBytes(params.publicKey);
        expectDate(params.parametersValidTo);
        expect(params.parametersValidTo.getTime()).toBeGreaterThan(Date.now());
        const encryptedKeyMaterial = wrapForImport('RSA_AES_KEY_WRAP_SHA_256', params.publicKey, material);
        await kms.importKeyMaterial({
          keyId,
          importToken: params.importToken,
          encryptedKeyMaterial,
          expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
        });
        const meta = (await kms.describeKey({ keyId })).keyMetadata;
        expect(meta.keyState).toBe('Enabled');
        expect(meta.origin).toBe('EXTERNAL');
        const message = utf8('imported');
        const { mac } = await kms.generateMac({ keyId, message, macAlgorithm: 'HMAC_SHA_256' });
        expect(hex(mac)).toBe(createHmac('sha256', material).update(message).digest('hex'));

        await kms.deleteImportedKeyMaterial({ keyId });
        expect((await kms.describeKey({ keyId })).keyMetadata.keyState).toBe('PendingImport');
        await expectKmsError(
          kms.generateMac({ keyId, message, macAlgorithm: 'HMAC_SHA_256' }),
          'INVALID_KEY_STATE',
          InvalidStateError,
        );
      });

      it('exportKey of an exportable HMAC key returns a JWK whose k is the key; of a P-256 key a PEM that signs', async () => {
        const hmacId = await createId({ keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC', exportable: true });
        const message = utf8('export');
        const { mac } = await kms.generateMac({ keyId: hmacId, message, macAlgorithm: 'HMAC_SHA_256' });
        const exported = await kms.exportKey({ keyId: hmacId, format: 'JWK' });
        expect(exported.keyVersion).toBe(1);
        expect(exported.jwk?.kty).toBe('oct');
        expect(createHmac('sha256', Buffer.from(exported.jwk!.k!, 'base64url')).update(message).digest('hex')).toBe(
          hex(mac),
        );

        const ecId = await createId({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY', exportable: true });
        const { pem } = await kms.exportKey({ keyId: ecId, format: 'PEM' });
        expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
        const signature = nodeSign('sha256', message, { key: createPrivateKey(pem!), dsaEncoding: 'der' });
        const verified = await kms.verify({
          keyId: ecId,
          message,
          signature: new Uint8Array(signature),
          signingAlgorithm: 'ECDSA_SHA_256',
        });
        expect(verified.signatureValid).toBe(true);
      });
    });

    describe('usage constraints', () => {
      it('updateKeyConstraints sets maxUses and notAfter (a Date both ways); the use after the maximum fails with USAGE_LIMIT_EXCEEDED; null clears', async () => {
        const keyId = await createId();
        const notAfter = new Date(Date.now() + 30 * DAY_MS);
        const { keyMetadata } = await kms.updateKeyConstraints({ keyId, maxUses: 2, notAfter });
        expect(keyMetadata.usageConstraints.maxUses).toBe(2);
        expectDate(keyMetadata.usageConstraints.notAfter);
        expect(keyMetadata.usageConstraints.notAfter.getTime()).toBe(notAfter.getTime());
        await kms.encrypt({ keyId, plaintext: utf8('1') });
        await kms.encrypt({ keyId, plaintext: utf8('2') });
        expect((await kms.describeKey({ keyId })).keyMetadata.usageConstraints.useCount).toBe(2);
        await expectKmsError(kms.encrypt({ keyId, plaintext: utf8('3') }), 'USAGE_LIMIT_EXCEEDED', LimitExceededError);
        const cleared = await kms.updateKeyConstraints({ keyId, maxUses: null, notAfter: null });
        expect(cleared.keyMetadata.usageConstraints.maxUses).toBeUndefined();
        expect(cleared.keyMetadata.usageConstraints.notAfter).toBeUndefined();
        await kms.encrypt({ keyId, plaintext: utf8('4') });
      });
    });

    describe('audit', () => {
      it('records each call with its request id, operation and outcome, as Dates; listAuditRecords filters by key and pages with after', async () => {
        const keyId = await createId();
        const requestId = `contract-${randomUUID()}`;
        const caller: Caller = { principal: 'contract:auditor', roles: ['admin'], requestId };
        await kms.encrypt({ keyId, plaintext: utf8('audited') }, caller);
        await kms.encrypt({ keyId, plaintext: utf8('audited again') });
        const { records } = await kms.listAuditRecords({ keyId, limit: 1000 });
        const mine = records.find((r) => r.requestId === requestId);
        expect(mine, 'the audit record of the call with the given request id').toBeDefined();
        expect(mine!.operation).toBe('Encrypt');
        expect(mine!.outcome).toBe('allowed');
        expect(mine!.errorCode).toBeNull();
        expectDate(mine!.time);
        expect(records.map((r) => r.operation)).toEqual(['CreateKey', 'Encrypt', 'Encrypt']);

        const first = await kms.listAuditRecords({ limit: 2 });
        expect(first.records).toHaveLength(2);
        expect(first.nextAfter).toBe(first.records[1]!.seq);
        const next = await kms.listAuditRecords({ limit: 2, after: first.nextAfter! });
        expect(next.records[0]!.seq).toBeGreaterThan(first.records[1]!.seq);
      });

      it('verifyAuditChain finds the chain intact', async () => {
        const result = await kms.verifyAuditChain();
        expect(result.ok).toBe(true);
        expect(result.brokenAt).toBeUndefined();
        expect(result.count).toBeGreaterThan(0);
      });
    });

    describe('API tokens', () => {
      it('createToken returns the token once; listTokens shows it without the token, with Dates; revokeToken marks it revoked', async () => {
        const created = await kms.createToken({ roles: ['key-user'], description: 'contract' });
        expect(created.token).toMatch(/^cst_/);
        expect(created.roles).toEqual(['key-user']);
        expectDate(created.createdAt);
        const find = async () => {
          const found = [];
          let marker: string | undefined;
          do {
            const page = await kms.listTokens({ limit: 100, ...(marker ? { marker } : {}) });
            found.push(...page.tokens);
            marker = page.nextMarker;
          } while (marker);
          return found.find((t) => t.tokenId === created.tokenId);
        };
        const listed = await find();
        expect(listed).toBeDefined();
        expect(JSON.stringify(listed)).not.toContain(created.token);
        expectDate(listed!.createdAt);
        expect(listed!.revokedAt).toBeUndefined();
        await kms.revokeToken({ tokenId: created.tokenId });
        expectDate((await find())!.revokedAt);
      });
    });

    describe('roles', () => {
      it('a key-user uses keys but may not create them or read the audit log: ACCESS_DENIED', async () => {
        const user = await under.asRole('key-user');
        const { ciphertextBlob } = await user.encrypt({ keyId: shared.aes, plaintext: utf8('as user') });
        expect(hex((await user.decrypt({ ciphertextBlob })).plaintext)).toBe(hex(utf8('as user')));
        await expectKmsError(user.createKey({}), 'ACCESS_DENIED', AccessDeniedError);
        await expectKmsError(user.disableKey({ keyId: shared.aes }), 'ACCESS_DENIED', AccessDeniedError);
        await expectKmsError(user.listAuditRecords(), 'ACCESS_DENIED', AccessDeniedError);
      });

      it('exporting is a right of its own: a key-user and a key-admin get ACCESS_DENIED on an exportable key, an admin exports it', async () => {
        const keyId = await createId({ exportable: true });
        for (const role of ['key-user', 'key-admin'] as const) {
          const caller = await under.asRole(role);
          await expectKmsError(caller.exportKey({ keyId, format: 'JWK' }), 'ACCESS_DENIED', AccessDeniedError);
        }
        // The key-user may still use it.
        const user = await under.asRole('key-user');
        await user.encrypt({ keyId, plaintext: utf8('usable, not exportable by a user') });
        const { jwk } = await (await under.asRole('admin')).exportKey({ keyId, format: 'JWK' });
        expect(jwk?.kty).toBe('oct');
      });

      it('a key-admin manages keys but may not use them: ACCESS_DENIED', async () => {
        const admin = await under.asRole('key-admin');
        const { keyMetadata } = await admin.createKey({ description: 'by key-admin' });
        await admin.disableKey({ keyId: keyMetadata.keyId });
        await admin.enableKey({ keyId: keyMetadata.keyId });
        await expectKmsError(
          admin.encrypt({ keyId: keyMetadata.keyId, plaintext: utf8('x') }),
          'ACCESS_DENIED',
          AccessDeniedError,
        );
        await expectKmsError(
          admin.generateDataKey({ keyId: shared.aes, keySpec: 'AES_256' }),
          'ACCESS_DENIED',
          AccessDeniedError,
        );
      });
    });

    describe('errors: same class and code', () => {
      it('KEY_NOT_FOUND (NotFoundError) for an unknown key id or ARN', async () => {
        const unknown = randomUUID();
        await expectKmsError(kms.describeKey({ keyId: unknown }), 'KEY_NOT_FOUND', NotFoundError);
        const arn = (await kms.describeKey({ keyId: shared.aes })).keyMetadata.arn.replace(shared.aes, unknown);
        await expectKmsError(kms.encrypt({ keyId: arn, plaintext: utf8('x') }), 'KEY_NOT_FOUND', NotFoundError);
      });

      it('ALIAS_NOT_FOUND (NotFoundError) for an unknown alias', async () => {
        await expectKmsError(
          kms.encrypt({ keyId: `alias/contract-${run}/none`, plaintext: utf8('x') }),
          'ALIAS_NOT_FOUND',
          NotFoundError,
        );
        await expectKmsError(
          kms.deleteAlias({ aliasName: `alias/contract-${run}/none` }),
          'ALIAS_NOT_FOUND',
          NotFoundError,
        );
      });

      it('KEY_DISABLED and INVALID_KEY_STATE (InvalidStateError)', async () => {
        const disabled = await createId();
        await kms.disableKey({ keyId: disabled });
        await expectKmsError(
          kms.generateDataKey({ keyId: disabled, keySpec: 'AES_256' }),
          'KEY_DISABLED',
          InvalidStateError,
        );
        const pendingImport = await createId({ origin: 'EXTERNAL' });
        await expectKmsError(
          kms.encrypt({ keyId: pendingImport, plaintext: utf8('x') }),
          'INVALID_KEY_STATE',
          InvalidStateError,
        );
      });

      it('INVALID_CIPHERTEXT (InvalidCiphertextError) for bytes that are no ciphertext', async () => {
        await expectKmsError(
          kms.decrypt({ ciphertextBlob: new Uint8Array(randomBytes(64)) }),
          'INVALID_CIPHERTEXT',
          InvalidCiphertextError,
        );
      });

      it('VALIDATION_ERROR (ValidationError) for an unknown field (body and query), an oversized plaintext, an out-of-range number, an unknown enum value', async () => {
        await expectKmsError(
          kms.encrypt({ keyId: shared.aes, plaintext: utf8('x'), bogus: 1 } as never),
          'VALIDATION_ERROR',
          ValidationError,
        );
        await expectKmsError(
          kms.describeKey({ keyId: shared.aes, bogus: 'x' } as never),
          'VALIDATION_ERROR',
          ValidationError,
        );
        await expectKmsError(
          kms.encrypt({ keyId: shared.aes, plaintext: new Uint8Array(4097) }),
          'VALIDATION_ERROR',
          ValidationError,
        );
        await expectKmsError(kms.generateRandom({ numberOfBytes: 1025 }), 'VALIDATION_ERROR', ValidationError);
        await expectKmsError(kms.createKey({ keySpec: 'AES_512' } as never), 'VALIDATION_ERROR', ValidationError);
        await expectKmsError(kms.listKeys({ limit: 0 }), 'VALIDATION_ERROR', ValidationError);
      });

      it('INVALID_KEY_USAGE (ValidationError) for an operation the key usage does not allow', async () => {
        await expectKmsError(
          kms.sign({ keyId: shared.aes, message: utf8('m'), signingAlgorithm: 'ECDSA_SHA_256' }),
          'INVALID_KEY_USAGE',
          ValidationError,
        );
        await expectKmsError(
          kms.encrypt({ keyId: shared.p256, plaintext: utf8('x') }),
          'INVALID_KEY_USAGE',
          ValidationError,
        );
        await expectKmsError(kms.getPublicKey({ keyId: shared.aes }), 'INVALID_KEY_USAGE', ValidationError);
      });

      it('ALREADY_EXISTS (ConflictError) for an alias name in use', async () => {
        const aliasName = `alias/contract-${run}/taken`;
        await kms.createAlias({ aliasName, targetKeyId: shared.aes });
        await expectKmsError(kms.createAlias({ aliasName, targetKeyId: shared.aes2 }), 'ALREADY_EXISTS', ConflictError);
        expect((await kms.describeKey({ keyId: aliasName })).keyMetadata.keyId).toBe(shared.aes);
      });

      it('ACCESS_DENIED (AccessDeniedError) for exporting a key not created exportable', async () => {
        await expectKmsError(kms.exportKey({ keyId: shared.aes, format: 'JWK' }), 'ACCESS_DENIED', AccessDeniedError);
      });

      it('INVALID_GRANT_TOKEN (ValidationError) for a grant token Custos did not issue', async () => {
        await expectKmsError(
          kms.encrypt({ keyId: shared.aes, plaintext: utf8('x'), grantTokens: ['grant'] }),
          'INVALID_GRANT_TOKEN',
          ValidationError,
        );
      });

      it('UNSUPPORTED (UnsupportedError) for a symmetric key exported as PEM', async () => {
        const exportable = await createId({ exportable: true });
        await expectKmsError(kms.exportKey({ keyId: exportable, format: 'PEM' }), 'UNSUPPORTED', UnsupportedError);
      });
    });
  });
}
