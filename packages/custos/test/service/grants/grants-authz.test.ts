// Grants in key authorization through LocalKms: a principal with no role uses a key through a grant; a Deny in the
// key policy wins over a grant; a grant row edited in the database is never used; what the audit log says; the
// pure parts (constraints, the grant rules, grant tokens) case by case.
import { join } from 'node:path';
import type { Caller, GrantOperation } from '@custos/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { constraintsAllow } from '../../../src/service/grants/constraints.js';
import { checkGrant } from '../../../src/service/grants/grant-rules.js';
import { sqliteDriver } from '../../../src/store/sqlite-driver.js';
import { keyRecord } from '../../helpers/key-records.js';
import { openTestKms, utf8, type TestKms } from '../helpers.js';
import { expectKmsError } from '../../../../contract/test/helpers/expect-kms-error.js';

const BILLING: Caller = { principal: 'billing', roles: [] };
const ACCOUNT = '000000000000';

describe('grants in key authorization (LocalKms)', () => {
  let t: TestKms;
  beforeAll(async () => {
    t = await openTestKms();
  });
  afterAll(async () => t.cleanup());
  const newKey = async () => (await t.kms.createKey({})).keyMetadata.keyId;

  it('a principal with no role at all uses a key through a grant, and only through it', async () => {
    const keyId = await newKey();
    await expectKmsError(t.kms.encrypt({ keyId, plaintext: utf8('x') }, BILLING), 'ACCESS_DENIED');
    await t.kms.createGrant({
      keyId,
      granteePrincipal: `arn:aws:iam::${ACCOUNT}:role/billing`,
      operations: ['Encrypt'],
    });
    await t.kms.encrypt({ keyId, plaintext: utf8('x') }, BILLING);
    // Operations on no key are decided by roles alone: a grant gives none.
    await expectKmsError(t.kms.listKeys({}, BILLING), 'ACCESS_DENIED');
    await expectKmsError(t.kms.encrypt({ keyId: await newKey(), plaintext: utf8('x') }, BILLING), 'ACCESS_DENIED');
  });

  it('an explicit Deny in the key policy wins over a grant', async () => {
    const keyId = await newKey();
    await t.kms.createGrant({ keyId, granteePrincipal: 'billing', operations: ['Encrypt', 'Decrypt'] });
    const { ciphertextBlob } = await t.kms.encrypt({ keyId, plaintext: utf8('x') }, BILLING);
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Root',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
        {
          Sid: 'NoEncryptForBilling',
          Effect: 'Deny',
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/billing` },
          Action: 'kms:Encrypt',
          Resource: '*',
        },
      ],
    };
    await t.kms.putKeyPolicy({ keyId, policy: JSON.stringify(policy) });
    await expectKmsError(t.kms.encrypt({ keyId, plaintext: utf8('x') }, BILLING), 'ACCESS_DENIED');
    // What the Deny does not name, the grant still allows.
    await t.kms.decrypt({ ciphertextBlob }, BILLING);
  });

  it('a grantee who may CreateGrant only through a grant gives no more operations and no looser constraints', async () => {
    const keyId = await newKey();
    await t.kms.createGrant({
      keyId,
      granteePrincipal: 'billing',
      operations: ['Encrypt', 'CreateGrant'],
      constraints: { encryptionContextSubset: { team: 'blue' } },
    });
    const grant = (operations: GrantOperation[], constraints?: Record<string, Record<string, string>>) =>
      t.kms.createGrant(
        { keyId, granteePrincipal: 'payroll', operations, ...(constraints && { constraints }) },
        BILLING,
      );
    // Within what the grant holds: the same operations, constraints as strict or stricter.
    await grant(['Encrypt'], { encryptionContextSubset: { team: 'blue' } });
    await grant(['Encrypt'], { encryptionContextSubset: { team: 'blue', app: 'pay' } });
    await grant(['Encrypt'], { encryptionContextEquals: { team: 'blue' } });
    // More operations, or looser constraints: refused.
    await expectKmsError(grant(['Decrypt'], { encryptionContextSubset: { team: 'blue' } }), 'ACCESS_DENIED');
    await expectKmsError(grant(['Encrypt']), 'ACCESS_DENIED');
    await expectKmsError(grant(['Encrypt'], { encryptionContextSubset: { team: 'red' } }), 'ACCESS_DENIED');
    // A caller allowed by its roles (the default policy) is not bounded by grants.
    await t.kms.createGrant({ keyId, granteePrincipal: 'payroll', operations: ['Decrypt'] });
  });

  it('audits CreateGrant with the grant id, and a refused RetireGrant as denied', async () => {
    const keyId = await newKey();
    const { grantId, grantToken } = await t.kms.createGrant({ keyId, granteePrincipal: 'x', operations: ['Encrypt'] });
    await expectKmsError(t.kms.retireGrant({ grantToken }, BILLING), 'ACCESS_DENIED');
    const { records } = await t.kms.listAuditRecords({ keyId, limit: 100 });
    expect(records.find((r) => r.operation === 'CreateGrant')).toMatchObject({ outcome: 'allowed', keyId });
    expect(records.at(-1)).toMatchObject({ operation: 'RetireGrant', outcome: 'denied', principal: 'billing', keyId });
    // The stored record names the grant; no grant token is ever written to the log.
    const SqliteDatabase = sqliteDriver();
    const db = new SqliteDatabase(join(t.dir, 'custos.db'), { readonly: true });
    try {
      const rows = db.prepare('select operation, details from audit_log where key_id = ?').all(keyId) as {
        operation: string;
        details: string | null;
      }[];
      expect(rows.find((r) => r.operation === 'CreateGrant')?.details).toContain(grantId);
      expect(JSON.stringify(rows)).not.toContain(grantToken.slice(5));
    } finally {
      db.close();
    }
  });

  it('a grant row edited in the database (operations widened) fails its MAC and is never used', async () => {
    const keyId = await newKey();
    const { grantId } = await t.kms.createGrant({ keyId, granteePrincipal: 'billing', operations: ['Decrypt'] });
    const SqliteDatabase = sqliteDriver();
    const db = new SqliteDatabase(join(t.dir, 'custos.db'));
    try {
      db.prepare('update grants set operations = ? where id = ?').run('["Decrypt","Encrypt"]', grantId);
    } finally {
      db.close();
    }
    await expectKmsError(t.kms.encrypt({ keyId, plaintext: utf8('x') }, BILLING), 'INTERNAL');
    await expectKmsError(t.kms.listGrants({ keyId }), 'INTERNAL');
  });

  it('a grant token made by another Custos (another root key) is INVALID_GRANT_TOKEN here', async () => {
    const other = await openTestKms();
    try {
      const keyId = (await other.kms.createKey({})).keyMetadata.keyId;
      const { grantToken } = await other.kms.createGrant({ keyId, granteePrincipal: 'x', operations: ['Encrypt'] });
      await expectKmsError(t.kms.retireGrant({ grantToken }), 'INVALID_GRANT_TOKEN');
      await expectKmsError(
        t.kms.describeKey({ keyId: await newKey(), grantTokens: [grantToken] }),
        'INVALID_GRANT_TOKEN',
      );
    } finally {
      await other.cleanup();
    }
  });
});

describe('constraintsAllow (AWS GrantConstraints)', () => {
  const cases: [
    string,
    Parameters<typeof constraintsAllow>[0],
    GrantOperation,
    Record<string, string> | undefined,
    boolean,
  ][] = [
    ['no constraints', null, 'Encrypt', undefined, true],
    ['equals: the same pairs', { encryptionContextEquals: { a: '1', b: '2' } }, 'Encrypt', { b: '2', a: '1' }, true],
    ['equals: keys without case', { encryptionContextEquals: { Dept: 'x' } }, 'Decrypt', { dEPT: 'x' }, true],
    ['equals: values with case', { encryptionContextEquals: { a: 'x' } }, 'Decrypt', { a: 'X' }, false],
    ['equals: one pair more', { encryptionContextEquals: { a: '1' } }, 'Encrypt', { a: '1', b: '2' }, false],
    ['equals: one pair fewer', { encryptionContextEquals: { a: '1', b: '2' } }, 'Encrypt', { a: '1' }, false],
    ['equals: no context', { encryptionContextEquals: { a: '1' } }, 'Encrypt', undefined, false],
    ['equals {}: no context', { encryptionContextEquals: {} }, 'GenerateDataKey', undefined, true],
    ['equals {}: a context', { encryptionContextEquals: {} }, 'GenerateDataKey', { a: '1' }, false],
    ['subset: more pairs', { encryptionContextSubset: { a: '1' } }, 'ReEncryptFrom', { a: '1', b: '2' }, true],
    ['subset: a value differs', { encryptionContextSubset: { a: '1' } }, 'ReEncryptTo', { a: '2' }, false],
    ['subset: missing key', { encryptionContextSubset: { a: '1' } }, 'Decrypt', { b: '1' }, false],
    [
      'both: each must hold',
      { encryptionContextEquals: { a: '1' }, encryptionContextSubset: { a: '1' } },
      'Encrypt',
      { a: '1' },
      true,
    ],
    [
      'both: subset fails',
      { encryptionContextEquals: { a: '1' }, encryptionContextSubset: { b: '1' } },
      'Encrypt',
      { a: '1' },
      false,
    ],
    ['DescribeKey is not constrained', { encryptionContextEquals: { a: '1' } }, 'DescribeKey', undefined, true],
    ['RetireGrant is not constrained', { encryptionContextSubset: { a: '1' } }, 'RetireGrant', undefined, true],
    ['CreateGrant is not constrained', { encryptionContextSubset: { a: '1' } }, 'CreateGrant', undefined, true],
  ];
  it.each(cases)('%s', (_name, constraints, operation, context, expected) => {
    expect(constraintsAllow(constraints, operation, context)).toBe(expected);
  });
});

describe('checkGrant (CreateGrant rules)', () => {
  const aes = keyRecord({ spec: 'SYMMETRIC_DEFAULT', usage: 'ENCRYPT_DECRYPT' });
  it('keeps each operation once, in one order, and drops constraints with no map', () => {
    expect(checkGrant(aes, ['Decrypt', 'Encrypt', 'Decrypt'], {})).toEqual({
      operations: ['Encrypt', 'Decrypt'],
      constraints: null,
    });
    expect(checkGrant(aes, ['Encrypt'], { encryptionContextSubset: { a: '1' } }).constraints).toEqual({
      encryptionContextSubset: { a: '1' },
    });
  });
  it.each([
    [
      'RSA_2048',
      'ENCRYPT_DECRYPT',
      ['Encrypt', 'Decrypt', 'ReEncryptFrom', 'GetPublicKey', 'DescribeKey'],
      ['GenerateDataKey'],
    ],
    ['ECC_NIST_P256', 'SIGN_VERIFY', ['Sign', 'Verify', 'GetPublicKey', 'CreateGrant'], ['Encrypt', 'GenerateMac']],
    ['HMAC_256', 'GENERATE_VERIFY_MAC', ['GenerateMac', 'VerifyMac', 'RetireGrant'], ['GetPublicKey', 'Sign']],
    ['ECC_NIST_P256', 'KEY_AGREEMENT', ['DeriveSharedSecret', 'GetPublicKey'], ['Sign', 'Decrypt']],
    ['AES_256', 'DERIVE_KEY', ['DescribeKey'], ['Encrypt', 'GenerateMac']],
  ] as const)('%s %s allows %j, refuses each of %j', (spec, usage, allowed, refused) => {
    const key = keyRecord({ spec, usage });
    expect(checkGrant(key, allowed, undefined).operations).toHaveLength(allowed.length);
    for (const operation of refused) expect(() => checkGrant(key, [operation], undefined)).toThrow(/cannot allow/);
    expect(() => checkGrant(key, ['DescribeKey'], { encryptionContextEquals: {} })).toThrow(/symmetric encryption/);
  });
});
