import { Value } from '@sinclair/typebox/value';
import type { TSchema } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import {
  ALGORITHMS,
  CreateAliasRequest,
  CreateKeyRequest,
  DecryptRequest,
  DeriveKeyRequest,
  EncryptionContext,
  EncryptRequest,
  GenerateDataKeyRequest,
  GenerateRandomRequest,
  KEY_SPECS,
  KeyMetadata,
  KeySpecSchema,
  ListKeysRequest,
  OPERATIONS,
  ScheduleKeyDeletionRequest,
  SignRequest,
  UpdateKeyConstraintsRequest,
  literalUnion,
} from '../src/index.js';

const bytes = (n: number) => new Uint8Array(n);
const ok = (schema: TSchema, value: unknown) => {
  expect(
    Value.Check(schema, value),
    JSON.stringify([...Value.Errors(schema, value)].map((e) => e.path + ' ' + e.message)),
  ).toBe(true);
};
const bad = (schema: TSchema, value: unknown) => {
  expect(Value.Check(schema, value)).toBe(false);
};

describe('literalUnion', () => {
  it('accepts every value of its list and nothing else', () => {
    for (const spec of KEY_SPECS) ok(KeySpecSchema, spec);
    bad(KeySpecSchema, 'AES_512');
    bad(KeySpecSchema, 'symmetric_default');
    const schema = literalUnion(ALGORITHMS);
    for (const alg of ALGORITHMS) ok(schema, alg);
  });
});

describe('CreateKey', () => {
  it('accepts an empty request, AWS fields and Custos fields', () => {
    ok(CreateKeyRequest, {});
    ok(CreateKeyRequest, {
      keySpec: 'ECC_NIST_P256',
      keyUsage: 'SIGN_VERIFY',
      description: 'signing key',
      tags: [{ tagKey: 'team', tagValue: '' }],
      origin: 'EXTERNAL',
      multiRegion: false,
      exportable: true,
      usageConstraints: { allowedAlgorithms: ['ECDSA_SHA_256'], notBefore: new Date(), maxUses: 10 },
      keyring: { applicationId: 'billing', referenceId: 'eu-1' },
    });
  });

  it('rejects an unknown field, a wrong enum value, a non-boolean multiRegion and an unsupported origin', () => {
    bad(CreateKeyRequest, { keySpec: 'AES_256', customKeyStoreId: 'cks-1' });
    bad(CreateKeyRequest, { keySpec: 'RSA_1024' });
    bad(CreateKeyRequest, { keyUsage: 'ENCRYPT' });
    bad(CreateKeyRequest, { multiRegion: 'yes' }); // true validates; the service refuses it as UNSUPPORTED
    bad(CreateKeyRequest, { origin: 'EXTERNAL_KEY_STORE' }); // AWS_CLOUDHSM validates: the service pairs it with a store
    bad(CreateKeyRequest, { tags: [{ tagKey: '', tagValue: 'x' }] });
    bad(CreateKeyRequest, { usageConstraints: { maxUses: 0 } });
    bad(CreateKeyRequest, { usageConstraints: { allowedAlgorithms: ['MD5'] } });
  });
});

describe('Encrypt and Decrypt', () => {
  it('accepts plaintext of 1 to 4096 bytes, with AWS SDK extras', () => {
    ok(EncryptRequest, { keyId: 'alias/app', plaintext: bytes(1) });
    ok(EncryptRequest, {
      keyId: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      plaintext: bytes(4096),
      encryptionContext: { tenant: 'acme' },
      encryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      grantTokens: ['token'],
      dryRun: false,
    });
    ok(EncryptRequest, { keyId: 'k', plaintext: Buffer.from('hello') });
  });

  it('rejects oversized or empty plaintext, a string plaintext, an unknown field and a non-string context value', () => {
    bad(EncryptRequest, { keyId: 'k', plaintext: bytes(4097) });
    bad(EncryptRequest, { keyId: 'k', plaintext: bytes(0) });
    bad(EncryptRequest, { keyId: 'k', plaintext: 'hello' });
    bad(EncryptRequest, { keyId: 'k', plaintext: bytes(1), recipient: {} });
    bad(EncryptRequest, { keyId: 'k', plaintext: bytes(1), encryptionContext: { n: 1 } });
    bad(EncryptRequest, { keyId: '', plaintext: bytes(1) });
    bad(EncryptRequest, { plaintext: bytes(1) });
  });

  it('rejects an encryption context with a lone surrogate in a key or a value; surrogate pairs are fine', () => {
    const lone = ['\ud800', '\udfff', 'a\udbffb', '\ud83d\ude00\ud800', '\ude00\ud83d'];
    for (const s of lone) {
      bad(EncryptionContext, { tenant: s });
      bad(EncryptionContext, { [s]: 'x' });
      bad(DecryptRequest, { ciphertextBlob: bytes(1), encryptionContext: { tenant: s } });
      bad(GenerateDataKeyRequest, { keyId: 'k', encryptionContext: { [s]: 'x' } });
    }
    ok(EncryptionContext, {});
    ok(EncryptionContext, { tenant: '\u{1F600}', ['\u{10FFFF}']: '\u{10000}', '': '', plain: 'é\uffff\ue000' });
  });

  /** A string survives UTF-8 only if it is well-formed UTF-16 (a lone surrogate becomes U+FFFD). */
  const wellFormed = (s: string): boolean => Buffer.from(s, 'utf8').toString('utf8') === s;

  it('means the same by its pattern with and without the u flag (TypeBox compiles without, ajv with)', () => {
    const schema = EncryptionContext as unknown as { patternProperties: Record<string, unknown> };
    const [pattern] = Object.keys(schema.patternProperties);
    const samples = ['', 'acme', '\u{1F600}', '\ud800', '\udfff', 'a\ud83d', '\ude00\ud83d', '\ud83d\ude00\ud83d'];
    for (const sample of samples) {
      expect(new RegExp(pattern!, 'u').test(sample), JSON.stringify(sample)).toBe(new RegExp(pattern!).test(sample));
      expect(new RegExp(pattern!).test(sample), JSON.stringify(sample)).toBe(wellFormed(sample));
    }
  });

  it('accepts Decrypt without a key id and rejects a ciphertext over 6144 bytes', () => {
    ok(DecryptRequest, { ciphertextBlob: bytes(100) });
    bad(DecryptRequest, { ciphertextBlob: bytes(6145) });
  });
});

describe('aliases', () => {
  it('accepts alias/ names and rejects other names', () => {
    ok(CreateAliasRequest, { aliasName: 'alias/app/prod_key-1', targetKeyId: 'k' });
    bad(CreateAliasRequest, { aliasName: 'app', targetKeyId: 'k' });
    bad(CreateAliasRequest, { aliasName: 'alias/', targetKeyId: 'k' });
    bad(CreateAliasRequest, { aliasName: 'alias/has space', targetKeyId: 'k' });
    bad(CreateAliasRequest, { aliasName: `alias/${'a'.repeat(251)}`, targetKeyId: 'k' });
  });
});

describe('ranges', () => {
  it('bounds numberOfBytes, the page limit, the deletion window and the Sign message', () => {
    ok(GenerateDataKeyRequest, { keyId: 'k', numberOfBytes: 1024 });
    bad(GenerateDataKeyRequest, { keyId: 'k', numberOfBytes: 1025 });
    bad(GenerateDataKeyRequest, { keyId: 'k', keySpec: 'AES_192' });
    ok(GenerateRandomRequest, { numberOfBytes: 1 });
    bad(GenerateRandomRequest, { numberOfBytes: 0 });
    bad(GenerateRandomRequest, { numberOfBytes: 1.5 });
    ok(ListKeysRequest, { limit: 1000, marker: 'm' });
    bad(ListKeysRequest, { limit: 1001 });
    ok(ScheduleKeyDeletionRequest, { keyId: 'k', pendingWindowInDays: 1 });
    bad(ScheduleKeyDeletionRequest, { keyId: 'k', pendingWindowInDays: 31 });
    ok(SignRequest, { keyId: 'k', message: bytes(4096), signingAlgorithm: 'ECDSA_SHA_256', messageType: 'RAW' });
    bad(SignRequest, { keyId: 'k', message: bytes(4097), signingAlgorithm: 'ECDSA_SHA_256' });
    bad(SignRequest, { keyId: 'k', message: bytes(32), signingAlgorithm: 'ECDSA_SHA_256', messageType: 'HASH' });
  });
});

describe('Custos operations', () => {
  it('DeriveKey takes exactly one of numberOfBytes and storeAs', () => {
    const base = { keyId: 'k', derivationAlgorithm: 'HKDF_SHA_256', salt: bytes(16), info: bytes(4) };
    ok(DeriveKeyRequest, { ...base, numberOfBytes: 32 });
    ok(DeriveKeyRequest, { ...base, storeAs: { keySpec: 'AES_256', keyUsage: 'ENCRYPT_DECRYPT' } });
    bad(DeriveKeyRequest, base);
    bad(DeriveKeyRequest, { ...base, numberOfBytes: 32, storeAs: { keySpec: 'AES_256', keyUsage: 'ENCRYPT_DECRYPT' } });
    bad(DeriveKeyRequest, { ...base, storeAs: { keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY' } });
    bad(DeriveKeyRequest, { ...base, derivationAlgorithm: 'SCRYPT', numberOfBytes: 32 });
  });

  it('UpdateKeyConstraints accepts null to clear a constraint', () => {
    ok(UpdateKeyConstraintsRequest, {
      keyId: 'k',
      allowedAlgorithms: null,
      notBefore: null,
      notAfter: new Date(),
      maxUses: null,
    });
    bad(UpdateKeyConstraintsRequest, { keyId: 'k', maxUses: 0 });
    bad(UpdateKeyConstraintsRequest, { keyId: 'k', notAfter: '2030-01-01' });
  });
});

describe('KeyMetadata', () => {
  it('describes a key with the AWS and Custos fields', () => {
    ok(KeyMetadata, {
      awsAccountId: '111122223333',
      keyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
      arn: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      creationDate: new Date(),
      enabled: true,
      description: '',
      keyUsage: 'ENCRYPT_DECRYPT',
      keyState: 'Enabled',
      origin: 'AWS_KMS',
      keyManager: 'CUSTOMER',
      customerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      keySpec: 'SYMMETRIC_DEFAULT',
      encryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
      multiRegion: false,
      exportable: false,
      currentKeyVersion: 1,
      protectionLevel: 'SOFTWARE',
      usageConstraints: { useCount: 0 },
    });
  });
});

describe('OPERATIONS', () => {
  it('has a camelCase method per AWS-style name, with closed request schemas', () => {
    for (const [method, spec] of Object.entries(OPERATIONS)) {
      expect(method).toBe(spec.name[0]!.toLowerCase() + spec.name.slice(1));
      expect(spec.method).toBe(method);
      const request = spec.request as TSchema & {
        additionalProperties?: boolean;
        anyOf?: { additionalProperties?: boolean }[];
      };
      const closed = request.anyOf
        ? request.anyOf.every((branch) => branch.additionalProperties === false)
        : request.additionalProperties === false;
      expect(closed, method).toBe(true);
    }
    expect(Object.keys(OPERATIONS)).toHaveLength(114);
  });
});
