// Bad input through LocalKms: every malformed, mismatched or unsupported request gets a stable code, writes
// nothing, and never crashes; garbage ciphertexts of every shape fail with the one generic error.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidCiphertextError, KmsError, type Caller, type ErrorCode } from '@custos/contract';
import { openTestKms, utf8, type TestKms } from './helpers.js';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';

describe('bad input', () => {
  let t: TestKms;
  let aes: string;
  let hmac: string;
  let signer: string;
  let deriver: string;
  const logged: { details: Record<string, unknown>; message: string }[] = [];
  beforeAll(async () => {
    t = await openTestKms({ logger: { error: (details, message) => logged.push({ details, message }) } });
    aes = (await t.kms.createKey({})).keyMetadata.keyId;
    hmac = (await t.kms.createKey({ keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC' })).keyMetadata.keyId;
    signer = (await t.kms.createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' })).keyMetadata.keyId;
    deriver = (await t.kms.createKey({ keySpec: 'AES_256', keyUsage: 'DERIVE_KEY' })).keyMetadata.keyId;
  });
  afterAll(async () => t.cleanup());

  const keyCount = async () => (await t.kms.listKeys({ limit: 1000 })).keys.length;
  const any = (v: unknown) => v as never;

  describe('createKey that fails writes nothing', () => {
    const cases: [string, unknown, ErrorCode][] = [
      ['an unknown keySpec', { keySpec: 'AES_512' }, 'VALIDATION_ERROR'],
      ['a lower-case keySpec', { keySpec: 'symmetric_default' }, 'VALIDATION_ERROR'],
      ['an unknown keyUsage', { keyUsage: 'WRAP_UNWRAP' }, 'VALIDATION_ERROR'],
      [
        'ECC_SECG_P256K1 with KEY_AGREEMENT',
        { keySpec: 'ECC_SECG_P256K1', keyUsage: 'KEY_AGREEMENT' },
        'VALIDATION_ERROR',
      ],
      ['HMAC_256 with ENCRYPT_DECRYPT', { keySpec: 'HMAC_256', keyUsage: 'ENCRYPT_DECRYPT' }, 'VALIDATION_ERROR'],
      [
        'SYMMETRIC_DEFAULT with SIGN_VERIFY',
        { keySpec: 'SYMMETRIC_DEFAULT', keyUsage: 'SIGN_VERIFY' },
        'VALIDATION_ERROR',
      ],
      ['X25519 with SIGN_VERIFY', { keySpec: 'X25519', keyUsage: 'SIGN_VERIFY' }, 'VALIDATION_ERROR'],
      [
        'ECC_NIST_EDWARDS25519 with KEY_AGREEMENT',
        { keySpec: 'ECC_NIST_EDWARDS25519', keyUsage: 'KEY_AGREEMENT' },
        'VALIDATION_ERROR',
      ],
      [
        'ECC_NIST_P256 with ENCRYPT_DECRYPT',
        { keySpec: 'ECC_NIST_P256', keyUsage: 'ENCRYPT_DECRYPT' },
        'VALIDATION_ERROR',
      ],
      [
        'keySpec and customerMasterKeySpec that differ',
        { keySpec: 'AES_128', customerMasterKeySpec: 'AES_256' },
        'VALIDATION_ERROR',
      ],
      ['an unknown field', { keySpec: 'SYMMETRIC_DEFAULT', colour: 'blue' }, 'VALIDATION_ERROR'],
      ['a __proto__ field', JSON.parse('{"__proto__": {"admin": true}}'), 'VALIDATION_ERROR'],
      ['customKeyStoreId (no custom key stores)', { customKeyStoreId: 'cks-1234567890abcdef0' }, 'VALIDATION_ERROR'],
      ['xksKeyId (no external key stores)', { xksKeyId: 'x' }, 'VALIDATION_ERROR'],
      ['multiRegion true (single-Region keys only)', { multiRegion: true }, 'UNSUPPORTED'],
      ['origin AWS_CLOUDHSM', { origin: 'AWS_CLOUDHSM' }, 'VALIDATION_ERROR'],
      ['origin EXTERNAL_KEY_STORE', { origin: 'EXTERNAL_KEY_STORE' }, 'VALIDATION_ERROR'],
      ['a description that is a number', { description: 42 }, 'VALIDATION_ERROR'],
      ['a description of 8193 characters', { description: 'x'.repeat(8193) }, 'VALIDATION_ERROR'],
      ['tags that are not an array', { tags: { a: 'b' } }, 'VALIDATION_ERROR'],
      ['a tag with an empty key', { tags: [{ tagKey: '', tagValue: 'v' }] }, 'VALIDATION_ERROR'],
      ['a tag value of 257 characters', { tags: [{ tagKey: 'k', tagValue: 'v'.repeat(257) }] }, 'VALIDATION_ERROR'],
      ['a tag with an extra field', { tags: [{ tagKey: 'k', tagValue: 'v', extra: 1 }] }, 'VALIDATION_ERROR'],
      ['exportable as a string', { exportable: 'yes' }, 'VALIDATION_ERROR'],
      ['a policy that is not JSON', { policy: 'allow all' }, 'MALFORMED_POLICY_DOCUMENT'],
      ['an empty policy', { policy: '' }, 'VALIDATION_ERROR'],
      [
        'a keyring with an empty referenceId',
        { keyring: { applicationId: 'app', referenceId: '' } },
        'VALIDATION_ERROR',
      ],
      ['a keyring without referenceId', { keyring: { applicationId: 'app' } }, 'VALIDATION_ERROR'],
      [
        'notBefore after notAfter',
        { usageConstraints: { notBefore: new Date(2030, 0, 2), notAfter: new Date(2030, 0, 1) } },
        'VALIDATION_ERROR',
      ],
      ['an invalid Date', { usageConstraints: { notBefore: new Date('not a date') } }, 'VALIDATION_ERROR'],
      ['a date given as a string', { usageConstraints: { notAfter: '2030-01-01T00:00:00Z' } }, 'VALIDATION_ERROR'],
      [
        'an allowed algorithm the key cannot use',
        { usageConstraints: { allowedAlgorithms: ['ECDSA_SHA_256'] } },
        'VALIDATION_ERROR',
      ],
      ['an empty allowedAlgorithms list', { usageConstraints: { allowedAlgorithms: [] } }, 'VALIDATION_ERROR'],
      ['maxUses 0', { usageConstraints: { maxUses: 0 } }, 'VALIDATION_ERROR'],
      ['maxUses 1.5', { usageConstraints: { maxUses: 1.5 } }, 'VALIDATION_ERROR'],
      ['a request that is a string', 'SYMMETRIC_DEFAULT', 'VALIDATION_ERROR'],
      ['a request that is an array', [], 'VALIDATION_ERROR'],
      [
        '51 tags',
        { tags: Array.from({ length: 51 }, (_, i) => ({ tagKey: `k${i}`, tagValue: '' })) },
        'LIMIT_EXCEEDED',
      ],
      ['a reserved aws: tag', { tags: [{ tagKey: 'aws:owner', tagValue: 'x' }] }, 'VALIDATION_ERROR'],
      ['a malformed policy', { policy: '{"Version":"2012-10-17"}' }, 'MALFORMED_POLICY_DOCUMENT'],
      [
        'a policy that locks the creator out',
        {
          policy:
            '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"kms:Encrypt","Resource":"*"}}',
        },
        'MALFORMED_POLICY_DOCUMENT',
      ],
    ];
    it.each(cases)('%s fails with %s', async (_name, input, code) => {
      const before = await keyCount();
      await expectKmsError(t.kms.createKey(any(input)), code);
      expect(await keyCount()).toBe(before);
    });

    it('multiRegion false and empty-by-default fields are accepted', async () => {
      const { keyMetadata } = await t.kms.createKey({
        multiRegion: false,
        tags: [],
        bypassPolicyLockoutSafetyCheck: false,
      });
      expect(keyMetadata.multiRegion).toBe(false);
    });
  });

  describe('requests of other operations', () => {
    const cases: [string, (kms: TestKms['kms']) => Promise<unknown>, ErrorCode][] = [
      [
        'encrypt with plaintext as a string',
        (kms) => kms.encrypt(any({ keyId: aes, plaintext: 'hello' })),
        'VALIDATION_ERROR',
      ],
      [
        'encrypt with plaintext as a number array',
        (kms) => kms.encrypt(any({ keyId: aes, plaintext: [1, 2, 3] })),
        'VALIDATION_ERROR',
      ],
      [
        'encrypt with an empty plaintext',
        (kms) => kms.encrypt({ keyId: aes, plaintext: new Uint8Array() }),
        'VALIDATION_ERROR',
      ],
      [
        'encrypt with 4097 bytes',
        (kms) => kms.encrypt({ keyId: aes, plaintext: new Uint8Array(4097) }),
        'VALIDATION_ERROR',
      ],
      [
        'encrypt with keyId a number',
        (kms) => kms.encrypt(any({ keyId: 42, plaintext: utf8('x') })),
        'VALIDATION_ERROR',
      ],
      ['encrypt with an empty keyId', (kms) => kms.encrypt({ keyId: '', plaintext: utf8('x') }), 'VALIDATION_ERROR'],
      ['encrypt without keyId', (kms) => kms.encrypt(any({ plaintext: utf8('x') })), 'VALIDATION_ERROR'],
      ['encrypt with no request at all', (kms) => kms.encrypt(any(undefined)), 'VALIDATION_ERROR'],
      [
        'encrypt with an unknown field',
        (kms) => kms.encrypt(any({ keyId: aes, plaintext: utf8('x'), extra: true })),
        'VALIDATION_ERROR',
      ],
      [
        'encrypt with a non-string context value',
        (kms) => kms.encrypt(any({ keyId: aes, plaintext: utf8('x'), encryptionContext: { n: 1 } })),
        'VALIDATION_ERROR',
      ],
      [
        'encrypt with an unknown algorithm',
        (kms) => kms.encrypt(any({ keyId: aes, plaintext: utf8('x'), encryptionAlgorithm: 'AES_CBC' })),
        'VALIDATION_ERROR',
      ],
      [
        'encrypt with an RSA algorithm on an AES key',
        (kms) => kms.encrypt({ keyId: aes, plaintext: utf8('x'), encryptionAlgorithm: 'RSAES_OAEP_SHA_256' }),
        'INVALID_KEY_USAGE',
      ],
      [
        'encrypt with non-empty grantTokens',
        (kms) => kms.encrypt({ keyId: aes, plaintext: utf8('x'), grantTokens: ['g'] }),
        'UNSUPPORTED',
      ],
      [
        'encrypt with dryRun true',
        (kms) => kms.encrypt({ keyId: aes, plaintext: utf8('x'), dryRun: true }),
        'UNSUPPORTED',
      ],
      ['encrypt with an HMAC key', (kms) => kms.encrypt({ keyId: hmac, plaintext: utf8('x') }), 'INVALID_KEY_USAGE'],
      [
        'encrypt with a signing key',
        (kms) => kms.encrypt({ keyId: signer, plaintext: utf8('x') }),
        'INVALID_KEY_USAGE',
      ],
      [
        'decrypt with non-empty grantTokens',
        (kms) => kms.decrypt({ ciphertextBlob: randomBytes(60), grantTokens: ['g'] }),
        'UNSUPPORTED',
      ],
      ['describeKey with a garbage key id', (kms) => kms.describeKey({ keyId: 'garbage' }), 'KEY_NOT_FOUND'],
      ['describeKey with an almost-UUID', (kms) => kms.describeKey({ keyId: `${aes.slice(0, -1)}z` }), 'KEY_NOT_FOUND'],
      [
        'describeKey with a key ARN of another service',
        (kms) => kms.describeKey({ keyId: `arn:aws:s3:us-east-1:000000000000:key/${aes}` }),
        'KEY_NOT_FOUND',
      ],
      [
        'describeKey with a random UUID',
        (kms) => kms.describeKey({ keyId: '6f1d2c3b-0a9e-4b8c-8d7e-6f5a4b3c2d1e' }),
        'KEY_NOT_FOUND',
      ],
      [
        'describeKey with a keyId over 2048 characters',
        (kms) => kms.describeKey({ keyId: 'k'.repeat(2049) }),
        'VALIDATION_ERROR',
      ],
      [
        'describeKey with non-empty grantTokens',
        (kms) => kms.describeKey({ keyId: aes, grantTokens: ['g'] }),
        'UNSUPPORTED',
      ],
      [
        'generateDataKey with both keySpec and numberOfBytes',
        (kms) => kms.generateDataKey({ keyId: aes, keySpec: 'AES_256', numberOfBytes: 32 }),
        'VALIDATION_ERROR',
      ],
      [
        'generateDataKey with neither keySpec nor numberOfBytes',
        (kms) => kms.generateDataKey({ keyId: aes }),
        'VALIDATION_ERROR',
      ],
      [
        'generateDataKey with numberOfBytes 0',
        (kms) => kms.generateDataKey({ keyId: aes, numberOfBytes: 0 }),
        'VALIDATION_ERROR',
      ],
      [
        'generateDataKey with numberOfBytes 1025',
        (kms) => kms.generateDataKey({ keyId: aes, numberOfBytes: 1025 }),
        'VALIDATION_ERROR',
      ],
      [
        'generateDataKey with a DataKeySpec AES_192',
        (kms) => kms.generateDataKey(any({ keyId: aes, keySpec: 'AES_192' })),
        'VALIDATION_ERROR',
      ],
      ['generateRandom with 0 bytes', (kms) => kms.generateRandom({ numberOfBytes: 0 }), 'VALIDATION_ERROR'],
      ['generateRandom with 1025 bytes', (kms) => kms.generateRandom({ numberOfBytes: 1025 }), 'VALIDATION_ERROR'],
      [
        'generateRandom with a customKeyStoreId',
        (kms) => kms.generateRandom(any({ numberOfBytes: 8, customKeyStoreId: 'x' })),
        'VALIDATION_ERROR',
      ],
      [
        'sign with a RAW message over 4096 bytes',
        (kms) => kms.sign({ keyId: signer, message: new Uint8Array(4097), signingAlgorithm: 'ECDSA_SHA_256' }),
        'VALIDATION_ERROR',
      ],
      [
        'sign with an algorithm the key does not have',
        (kms) => kms.sign({ keyId: signer, message: utf8('m'), signingAlgorithm: 'RSASSA_PSS_SHA_256' }),
        'INVALID_KEY_USAGE',
      ],
      [
        'sign with an AES key',
        (kms) => kms.sign({ keyId: aes, message: utf8('m'), signingAlgorithm: 'ECDSA_SHA_256' }),
        'INVALID_KEY_USAGE',
      ],
      [
        'generateMac with a signing key',
        (kms) => kms.generateMac({ keyId: signer, message: utf8('m'), macAlgorithm: 'HMAC_SHA_256' }),
        'INVALID_KEY_USAGE',
      ],
      [
        'generateMac with the wrong HMAC algorithm for the key',
        (kms) => kms.generateMac({ keyId: hmac, message: utf8('m'), macAlgorithm: 'HMAC_SHA_512' }),
        'INVALID_KEY_USAGE',
      ],
      ['getPublicKey of a symmetric key', (kms) => kms.getPublicKey({ keyId: aes }), 'INVALID_KEY_USAGE'],
      ['listKeys with limit 0', (kms) => kms.listKeys({ limit: 0 }), 'VALIDATION_ERROR'],
      ['listKeys with limit 1001', (kms) => kms.listKeys({ limit: 1001 }), 'VALIDATION_ERROR'],
      ['listKeys with limit "10"', (kms) => kms.listKeys(any({ limit: '10' })), 'VALIDATION_ERROR'],
      ['listKeys with an empty marker', (kms) => kms.listKeys({ marker: '' }), 'VALIDATION_ERROR'],
      ['listKeys with a garbage marker', (kms) => kms.listKeys({ marker: 'garbage' }), 'INVALID_MARKER'],
      ['listAuditRecords with after -1', (kms) => kms.listAuditRecords({ after: -1 }), 'VALIDATION_ERROR'],
      ['tagResource without tags', (kms) => kms.tagResource(any({ keyId: aes })), 'VALIDATION_ERROR'],
      [
        'scheduleKeyDeletion with pendingWindowInDays "7"',
        (kms) => kms.scheduleKeyDeletion(any({ keyId: aes, pendingWindowInDays: '7' })),
        'VALIDATION_ERROR',
      ],
      [
        'listKeyRotations with includeKeyMaterial ALL_KEY_MATERIAL',
        (kms) => kms.listKeyRotations({ keyId: aes, includeKeyMaterial: 'ALL_KEY_MATERIAL' }),
        'UNSUPPORTED',
      ],
      [
        'deriveKey with neither numberOfBytes nor storeAs',
        (kms) => kms.deriveKey(any({ keyId: deriver, derivationAlgorithm: 'HKDF_SHA_256', salt: utf8('s') })),
        'VALIDATION_ERROR',
      ],
      [
        'deriveKey with both numberOfBytes and storeAs',
        (kms) =>
          kms.deriveKey(
            any({
              keyId: deriver,
              derivationAlgorithm: 'HKDF_SHA_256',
              salt: utf8('s'),
              numberOfBytes: 32,
              storeAs: { keySpec: 'AES_256' },
            }),
          ),
        'VALIDATION_ERROR',
      ],
      [
        'deriveKey stored as an asymmetric spec',
        (kms) =>
          kms.deriveKey(
            any({
              keyId: deriver,
              derivationAlgorithm: 'HKDF_SHA_256',
              salt: utf8('s'),
              storeAs: { keySpec: 'ECC_NIST_P256' },
            }),
          ),
        'VALIDATION_ERROR',
      ],
      [
        'deriveKey stored as AES with a MAC usage',
        (kms) =>
          kms.deriveKey({
            keyId: deriver,
            derivationAlgorithm: 'HKDF_SHA_256',
            salt: utf8('s'),
            storeAs: { keySpec: 'AES_256', keyUsage: 'GENERATE_VERIFY_MAC' },
          }),
        'VALIDATION_ERROR',
      ],
      [
        'deriveKey HKDF with iterations',
        (kms) =>
          kms.deriveKey({
            keyId: deriver,
            derivationAlgorithm: 'HKDF_SHA_256',
            salt: utf8('s'),
            iterations: 1000,
            numberOfBytes: 32,
          }),
        'VALIDATION_ERROR',
      ],
      [
        'deriveKey PBKDF2 with info',
        (kms) =>
          kms.deriveKey({
            keyId: deriver,
            derivationAlgorithm: 'PBKDF2_SHA_256',
            salt: new Uint8Array(16),
            iterations: 1000,
            info: utf8('i'),
            numberOfBytes: 32,
          }),
        'VALIDATION_ERROR',
      ],
      [
        'verifyAuditChain with an unknown field',
        (kms) => kms.verifyAuditChain(any({ full: true })),
        'VALIDATION_ERROR',
      ],
    ];
    it.each(cases)('%s fails with %s', async (_name, run, code) => {
      await expectKmsError(run(t.kms), code);
    });

    it('a grantTokens list that is empty, dryRun false and ROTATIONS_ONLY are accepted (AWS SDKs send them)', async () => {
      const { ciphertextBlob } = await t.kms.encrypt({
        keyId: aes,
        plaintext: utf8('x'),
        grantTokens: [],
        dryRun: false,
      });
      await t.kms.decrypt({ ciphertextBlob, grantTokens: [] });
      await t.kms.describeKey({ keyId: aes, grantTokens: [] });
      expect((await t.kms.listKeyRotations({ keyId: aes, includeKeyMaterial: 'ROTATIONS_ONLY' })).rotations).toEqual(
        [],
      );
    });

    it('the key is unchanged after refused requests', async () => {
      const md = (await t.kms.describeKey({ keyId: aes })).keyMetadata;
      expect(md.keyState).toBe('Enabled');
      expect(md.currentKeyVersion).toBe(1);
      expect((await t.kms.listResourceTags({ keyId: aes })).tags).toEqual([]);
    });
  });

  describe('garbage ciphertexts', () => {
    let blob: Uint8Array;
    beforeAll(async () => {
      blob = (await t.kms.encrypt({ keyId: aes, plaintext: utf8('genuine'), encryptionContext: { purpose: 'test' } }))
        .ciphertextBlob;
    });

    const flip = (b: Uint8Array, i: number) => {
      const c = Uint8Array.from(b);
      c[i]! ^= 0x01;
      return c;
    };
    const withHeader = (keyId: string, version: number, rest: Uint8Array) => {
      const out = new Uint8Array(21 + rest.length);
      out[0] = 1;
      out.set(Buffer.from(keyId.replaceAll('-', ''), 'hex'), 1);
      new DataView(out.buffer).setUint32(17, version, false);
      out.set(rest, 21);
      return out;
    };

    it('an empty ciphertext fails the schema: VALIDATION_ERROR', async () => {
      await expectKmsError(t.kms.decrypt({ ciphertextBlob: new Uint8Array() }), 'VALIDATION_ERROR');
      await expectKmsError(t.kms.decrypt({ ciphertextBlob: new Uint8Array(6145) }), 'VALIDATION_ERROR');
      await expectKmsError(t.kms.decrypt(any({ ciphertextBlob: 'AQID' })), 'VALIDATION_ERROR');
    });

    it('every malformed or tampered ciphertext fails with INVALID_CIPHERTEXT and one identical message', async () => {
      const shapes: [string, () => Uint8Array, Record<string, string>?][] = [
        ['1 byte', () => new Uint8Array([1])],
        ['1 zero byte', () => new Uint8Array([0])],
        ['random 100 bytes', () => new Uint8Array(randomBytes(100))],
        ['random 100 bytes with format byte 1', () => new Uint8Array([1, ...randomBytes(99)])],
        ['a header only', () => blob.subarray(0, 21)],
        ['truncated by one byte', () => blob.subarray(0, blob.length - 1)],
        ['truncated to header + iv + tag - 1', () => blob.subarray(0, 21 + 12 + 15)],
        ['an unknown format byte', () => Uint8Array.from([2, ...blob.subarray(1)])],
        ['version 0', () => withHeader(aes, 0, blob.subarray(21))],
        ['a version the key does not have', () => withHeader(aes, 99, blob.subarray(21))],
        ['a key that does not exist', () => withHeader('6f1d2c3b-0a9e-4b8c-8d7e-6f5a4b3c2d1e', 1, blob.subarray(21))],
        ['moved to an HMAC key', () => withHeader(hmac, 1, blob.subarray(21))],
        ['moved to a signing key', () => withHeader(signer, 1, blob.subarray(21))],
        ['a flipped key id bit', () => flip(blob, 5)],
        ['a flipped IV bit', () => flip(blob, 25)],
        ['a flipped ciphertext bit', () => flip(blob, 35)],
        ['a flipped tag bit', () => flip(blob, blob.length - 1)],
        ['an extra trailing byte', () => Uint8Array.from([...blob, 0])],
        ['the right blob with the wrong context', () => blob, { purpose: 'other' }],
        ['the right blob with no context', () => blob, {}],
        ['the right blob with an extra context entry', () => blob, { purpose: 'test', more: 'x' }],
      ];
      const messages = new Set<string>();
      for (const [name, make, context] of shapes) {
        const error = await t.kms
          .decrypt({ ciphertextBlob: make(), encryptionContext: context ?? { purpose: 'test' } })
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        expect(error, name).toBeInstanceOf(InvalidCiphertextError);
        expect((error as KmsError).code, name).toBe('INVALID_CIPHERTEXT');
        messages.add((error as Error).message);
        await expectKmsError(
          t.kms.reEncrypt({
            ciphertextBlob: make(),
            sourceEncryptionContext: context ?? { purpose: 'test' },
            destinationKeyId: aes,
          }),
          'INVALID_CIPHERTEXT',
        );
      }
      expect(messages.size).toBe(1);
      // The genuine blob still decrypts.
      expect((await t.kms.decrypt({ ciphertextBlob: blob, encryptionContext: { purpose: 'test' } })).plaintext).toEqual(
        utf8('genuine'),
      );
    });

    it('a blob decrypted with the keyId of another key fails with INCORRECT_KEY', async () => {
      const other = (await t.kms.createKey({})).keyMetadata.keyId;
      await expectKmsError(
        t.kms.decrypt({ ciphertextBlob: blob, encryptionContext: { purpose: 'test' }, keyId: other }),
        'INCORRECT_KEY',
      );
    });
  });

  describe('unexpected failures', () => {
    it('a non-KmsError thrown inside the service becomes INTERNAL naming only the request id, and is logged', async () => {
      const before = logged.length;
      const broken = { principal: 'broken', roles: null, requestId: 'req-internal-1' } as unknown as Caller;
      const error = await expectKmsError(t.kms.describeKey({ keyId: aes }, broken), 'INTERNAL');
      expect(error.message).toContain('req-internal-1');
      expect(error.message).not.toMatch(/TypeError|null|roles|some|undefined|stack|at /i);
      expect(error.cause).toBeUndefined();
      expect(logged.length).toBe(before + 1);
      expect(logged[before]!.details).toMatchObject({ requestId: 'req-internal-1', operation: 'DescribeKey' });
      expect(logged[before]!.details.err).toBeInstanceOf(TypeError);
      const last = (await t.kms.listAuditRecords({ limit: 1000 })).records.at(-1)!;
      expect(last).toMatchObject({
        principal: 'broken',
        operation: 'DescribeKey',
        outcome: 'failed',
        errorCode: 'INTERNAL',
        requestId: 'req-internal-1',
      });
    });
  });
});
