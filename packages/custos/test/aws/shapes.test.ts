// The AWS shape conversion: PascalCase ⇄ camelCase from the contract schemas (with the irregular names), base64 ⇄
// bytes, epoch seconds ⇄ Date, Custos-only fields refused in requests and left out of responses; the target table.
import { describe, expect, it } from 'vitest';
import { KmsError, OPERATIONS, type OperationMethod } from '@custos/contract';
import { awsName, CUSTOS_ONLY_FIELDS, fromAws, toAws } from '../../src/api/aws/shapes.js';
import { TARGETS } from '../../src/api/aws/targets.js';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof KmsError) return error.code;
    throw error;
  }
  throw new Error('expected a throw');
}

const T = new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 500));

describe('AWS field names', () => {
  it('capitalises the camelCase name, except the irregular ones AWS spells otherwise', () => {
    expect(awsName('keyId')).toBe('KeyId');
    expect(awsName('customerMasterKeySpec')).toBe('CustomerMasterKeySpec');
    expect(awsName('keyArn')).toBe('KeyArn');
    expect(awsName('aliasArn')).toBe('AliasArn');
    expect(awsName('nextMarker')).toBe('NextMarker');
    expect(awsName('grantTokens')).toBe('GrantTokens');
    expect(awsName('arn')).toBe('Arn');
    expect(awsName('awsAccountId')).toBe('AWSAccountId');
  });

  it('every field of every AWS operation maps back to itself (no two fields share an AWS name)', () => {
    const seen = new Map<string, string>();
    for (const op of Object.values(OPERATIONS).filter((o) => o.aws)) {
      const walk = (schema: { properties?: Record<string, unknown> }) => {
        for (const field of Object.keys(schema.properties ?? {})) {
          const name = awsName(field);
          expect(seen.get(name) ?? field, `${op.name}: ${name}`).toBe(field);
          seen.set(name, field);
        }
      };
      walk(op.request);
      walk(op.response);
    }
  });
});

describe('fromAws (requests)', () => {
  it('renames fields, decodes base64 blobs and keeps encryption context keys as they are', () => {
    const input = fromAws(OPERATIONS.encrypt.request, {
      KeyId: 'alias/orders',
      Plaintext: Buffer.from('hello').toString('base64'),
      EncryptionContext: { KeyId: 'not renamed', tenant: 'acme' },
      EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    });
    expect(input).toEqual({
      keyId: 'alias/orders',
      plaintext: new Uint8Array(Buffer.from('hello')),
      encryptionContext: { KeyId: 'not renamed', tenant: 'acme' },
      encryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    });
  });

  it('renames fields inside arrays of objects (Tags)', () => {
    expect(
      fromAws(OPERATIONS.createKey.request, { Tags: [{ TagKey: 'team', TagValue: 'pay' }], Description: 'd' }),
    ).toEqual({
      tags: [{ tagKey: 'team', tagValue: 'pay' }],
      description: 'd',
    });
  });

  it('reads timestamps as epoch seconds (fractions kept to the millisecond)', () => {
    const input = fromAws(OPERATIONS.importKeyMaterial.request, { KeyId: 'k', ValidTo: T.getTime() / 1000 }) as {
      validTo: Date;
    };
    expect(input.validTo).toEqual(T);
  });

  it('treats JSON null as an absent field', () => {
    expect(fromAws(OPERATIONS.listKeys.request, { Limit: null, Marker: 'm' })).toEqual({ marker: 'm' });
  });

  it('refuses unknown fields with VALIDATION_ERROR: typos, camelCase names, Custos-only fields', () => {
    expect(codeOf(() => fromAws(OPERATIONS.encrypt.request, { KeyId: 'k', Plaintxt: 'aGk=' }))).toBe(
      'VALIDATION_ERROR',
    );
    expect(codeOf(() => fromAws(OPERATIONS.encrypt.request, { keyId: 'k' }))).toBe('VALIDATION_ERROR');
    expect(codeOf(() => fromAws(OPERATIONS.createKey.request, { Exportable: true }))).toBe('VALIDATION_ERROR');
    expect(codeOf(() => fromAws(OPERATIONS.createKey.request, { UsageConstraints: {} }))).toBe('VALIDATION_ERROR');
    expect(
      codeOf(() => fromAws(OPERATIONS.createKey.request, { Tags: [{ TagKey: 'a', TagValue: 'b', Extra: 1 }] })),
    ).toBe('VALIDATION_ERROR');
    expect(codeOf(() => fromAws(OPERATIONS.encrypt.request, JSON.parse('{"__proto__": {"x": 1}}')))).toBe(
      'VALIDATION_ERROR',
    );
  });

  it('refuses AWS fields of features Custos lacks with UNSUPPORTED (external key stores, random from a key store, enclave recipients)', () => {
    expect(fromAws(OPERATIONS.createKey.request, { CustomKeyStoreId: 'cks-1', Origin: 'AWS_CLOUDHSM' })).toEqual({
      customKeyStoreId: 'cks-1',
      origin: 'AWS_CLOUDHSM',
    });
    expect(codeOf(() => fromAws(OPERATIONS.createCustomKeyStore.request, { XksProxyUriPath: '/x' }))).toBe(
      'UNSUPPORTED',
    );
    expect(codeOf(() => fromAws(OPERATIONS.createKey.request, { XksKeyId: 'x' }))).toBe('UNSUPPORTED');
    expect(codeOf(() => fromAws(OPERATIONS.decrypt.request, { CiphertextBlob: 'aGk=', Recipient: {} }))).toBe(
      'UNSUPPORTED',
    );
    expect(
      codeOf(() => fromAws(OPERATIONS.generateRandom.request, { NumberOfBytes: 8, CustomKeyStoreId: 'cks-1' })),
    ).toBe('UNSUPPORTED');
  });

  it('refuses blobs that are not strict base64 with VALIDATION_ERROR', () => {
    expect(codeOf(() => fromAws(OPERATIONS.encrypt.request, { KeyId: 'k', Plaintext: 'not base64!' }))).toBe(
      'VALIDATION_ERROR',
    );
    expect(codeOf(() => fromAws(OPERATIONS.decrypt.request, { CiphertextBlob: 'aGk' }))).toBe('VALIDATION_ERROR');
  });

  it('passes values of the wrong type through, for the service to reject', () => {
    expect(fromAws(OPERATIONS.encrypt.request, { KeyId: 42, Plaintext: 7 })).toEqual({ keyId: 42, plaintext: 7 });
    expect(fromAws(OPERATIONS.encrypt.request, 'nope')).toBe('nope');
  });
});

describe('toAws (responses)', () => {
  const metadata = {
    awsAccountId: '000000000000',
    keyId: 'k-1',
    arn: 'arn:aws:kms:us-east-1:000000000000:key/k-1',
    creationDate: T,
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
    currentKeyVersion: 2,
    protectionLevel: 'SOFTWARE',
    usageConstraints: { useCount: 3, notAfter: T },
    keyring: { applicationId: 'a', referenceId: 'r' },
  };

  it('answers KeyMetadata exactly as AWS shapes it: AWS names, epoch seconds, no Custos-only fields', () => {
    expect(toAws(OPERATIONS.describeKey.response, { keyMetadata: metadata })).toEqual({
      KeyMetadata: {
        AWSAccountId: '000000000000',
        KeyId: 'k-1',
        Arn: 'arn:aws:kms:us-east-1:000000000000:key/k-1',
        CreationDate: T.getTime() / 1000,
        Enabled: true,
        Description: '',
        KeyUsage: 'ENCRYPT_DECRYPT',
        KeyState: 'Enabled',
        Origin: 'AWS_KMS',
        KeyManager: 'CUSTOMER',
        CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
        KeySpec: 'SYMMETRIC_DEFAULT',
        EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
        MultiRegion: false,
      },
    });
  });

  it('leaves out PendingDeletionWindowInDays for a key pending deletion: AWS sends it for PendingReplicaDeletion only', () => {
    const pending = { ...metadata, enabled: false, keyState: 'PendingDeletion', deletionDate: T };
    const out = toAws(OPERATIONS.describeKey.response, {
      keyMetadata: { ...pending, pendingDeletionWindowInDays: 7 },
    }) as { KeyMetadata: Record<string, unknown> };
    expect(out.KeyMetadata).toMatchObject({ KeyState: 'PendingDeletion', DeletionDate: T.getTime() / 1000 });
    expect(out.KeyMetadata).not.toHaveProperty('PendingDeletionWindowInDays');
    // The one state AWS documents it for (a replica key waiting on its primary), which Custos has no key in.
    const replica = toAws(OPERATIONS.describeKey.response, {
      keyMetadata: { ...pending, keyState: 'PendingReplicaDeletion', pendingDeletionWindowInDays: 7 },
    }) as { KeyMetadata: Record<string, unknown> };
    expect(replica.KeyMetadata.PendingDeletionWindowInDays).toBe(7);
  });

  it('encodes bytes as base64 and leaves out the JWK of GetPublicKey and fields the schema does not list', () => {
    const out = toAws(OPERATIONS.getPublicKey.response, {
      keyId: 'arn',
      publicKey: new Uint8Array([1, 2, 3]),
      keySpec: 'ECC_NIST_P256',
      jwk: { kty: 'EC' },
      internal: 'never sent',
    });
    expect(out).toEqual({ KeyId: 'arn', PublicKey: 'AQID', KeySpec: 'ECC_NIST_P256' });
  });

  it('pages as AWS does: entries renamed, NextMarker and Truncated', () => {
    const out = toAws(OPERATIONS.listKeyRotations.response, {
      rotations: [{ keyId: 'arn', rotationDate: T, rotationType: 'ON_DEMAND', keyVersion: 2 }],
      nextMarker: 'm',
      truncated: true,
    });
    expect(out).toEqual({
      Rotations: [{ KeyId: 'arn', RotationDate: T.getTime() / 1000, RotationType: 'ON_DEMAND' }],
      NextMarker: 'm',
      Truncated: true,
    });
  });

  it('an empty result is an empty object', () => {
    expect(toAws(OPERATIONS.enableKey.response, {})).toEqual({});
  });

  it('lists the Custos-only fields that the AWS endpoint leaves out', () => {
    expect([...CUSTOS_ONLY_FIELDS].sort()).toEqual(
      [
        'currentKeyVersion',
        'derivationAlgorithms',
        'exportable',
        'force',
        'jwk',
        'keyVersion',
        'keyring',
        'lastUsedAt',
        'minDecryptionVersion',
        'protectionLevel',
        'publicKeyOnly',
        'storeAs',
        'usageConstraints',
        // ListKeys' filters, sort and metadata (test/service/list-keys.test.ts)
        'keyStates',
        'keySpecs',
        'keyUsages',
        'withTagKey',
        'withTagValue',
        'search',
        'sortBy',
        'sortOrder',
        'includeMetadata',
        'metadata',
        'aliasNames',
        'lastRotationDate',
      ].sort(),
    );
  });
});

describe('targets', () => {
  it('serves exactly the operations AWS KMS has, each under TrentService.<Name>', () => {
    const aws = (Object.keys(OPERATIONS) as OperationMethod[])
      .filter((m) => OPERATIONS[m].aws)
      .map((m) => `TrentService.${OPERATIONS[m].name}`);
    expect(Object.keys(TARGETS).sort()).toEqual(aws.sort());
    expect(Object.keys(TARGETS)).toHaveLength(53);
  });
});
