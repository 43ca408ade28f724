// Key policies enforced through LocalKms (issue 16): a Deny wins, a role-less principal allowed by a policy,
// conditions on encryption context, algorithm, alias and time, malformed policies, the lockout check, the audit of
// refusals, and the safety net that fails a key-targeted call whose key was never authorised.
import { createSecretKey } from 'node:crypto';
import type { Caller } from '@custos/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RootOfTrust } from '../../../src/keystore/root-of-trust.js';
import { compiledPolicyOf } from '../../../src/service/authz/policy-cache.js';
import { DEFAULT_CONFIG } from '../../../src/service/context.js';
import { defineInternalOperation } from '../../../src/service/define-operation.js';
import { TokenHasher } from '../../../src/service/integrity/keys.js';
import { KeyService } from '../../../src/service/key-service.js';
import { ANY } from '../../../src/service/lifecycle.js';
import { openSqliteStore } from '../../../src/store/index.js';
import { keyRecord } from '../../helpers/key-records.js';
import { withRowKey } from '../../helpers/row-key.js';
import { expectKmsError } from '../../../../contract/test/helpers/expect-kms-error.js';
import { openTestKms, utf8, type TestKms } from '../helpers.js';

const ACCOUNT = '000000000000';
const ROOT = { AWS: `arn:aws:iam::${ACCOUNT}:root` };
const user = (name: string) => ({ AWS: `arn:aws:iam::${ACCOUNT}:user/${name}` });
const ADMIN_STATEMENT = { Sid: 'admins', Effect: 'Allow', Principal: ROOT, Action: 'kms:*', Resource: '*' };
const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const BILLING: Caller = { principal: 'billing', roles: [] };
const APP: Caller = { principal: 'app', roles: ['key-user'] };
const plaintext = utf8('policy-protected');

let t: TestKms;
beforeAll(async () => {
  t = await openTestKms();
});
afterAll(() => t.cleanup());

async function keyWith(statements: object[], spec: object = {}): Promise<string> {
  return (await t.kms.createKey({ ...spec, policy: policy(ADMIN_STATEMENT, ...statements) })).keyMetadata.keyId;
}

async function lastRecord() {
  const { count } = await t.kms.verifyAuditChain({});
  return (await t.kms.listAuditRecords({ after: count! - 1, limit: 1 })).records[0];
}

describe('key policies through LocalKms', () => {
  it('a Deny wins over the Allow of the default statement and over the roles; other actions stay allowed', async () => {
    const keyId = await keyWith([{ Effect: 'Deny', Principal: user('app'), Action: 'kms:Encrypt', Resource: '*' }]);
    await expectKmsError(t.kms.encrypt({ keyId, plaintext }, APP), 'ACCESS_DENIED');
    expect(await lastRecord()).toMatchObject({ principal: 'app', operation: 'Encrypt', keyId, outcome: 'denied' });
    const blob = (await t.kms.encrypt({ keyId, plaintext })).ciphertextBlob; // local:admin is not denied
    expect((await t.kms.decrypt({ ciphertextBlob: blob }, APP)).plaintext).toEqual(plaintext);
  });

  it('a Deny to everyone wins over an Allow to the principal', async () => {
    const keyId = await keyWith([
      { Effect: 'Allow', Principal: user('billing'), Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*' },
      { Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt', Resource: '*' },
    ]);
    const blob = (await t.kms.encrypt({ keyId, plaintext }, BILLING)).ciphertextBlob;
    await expectKmsError(t.kms.decrypt({ ciphertextBlob: blob }, BILLING), 'ACCESS_DENIED');
    await expectKmsError(t.kms.decrypt({ ciphertextBlob: blob }), 'ACCESS_DENIED'); // the admin too
  });

  it('a principal with no role may do what the policy gives it, and nothing else', async () => {
    const keyId = await keyWith([
      { Effect: 'Allow', Principal: user('billing'), Action: 'kms:Encrypt', Resource: '*' },
    ]);
    await t.kms.encrypt({ keyId, plaintext }, BILLING);
    await expectKmsError(t.kms.describeKey({ keyId }, BILLING), 'ACCESS_DENIED');
    await expectKmsError(t.kms.createKey({}, BILLING), 'ACCESS_DENIED'); // operations on no key: roles alone
    await expectKmsError(t.kms.listKeys({}, BILLING), 'ACCESS_DENIED');
    const other = (await t.kms.createKey({})).keyMetadata.keyId; // default policy: delegates to roles, none
    await expectKmsError(t.kms.encrypt({ keyId: other, plaintext }, BILLING), 'ACCESS_DENIED');
  });

  it('a policy without the root statement takes the roles away', async () => {
    const keyId = (
      await t.kms.createKey({
        policy: policy({ Effect: 'Allow', Principal: user('local:admin'), Action: 'kms:*', Resource: '*' }),
      })
    ).keyMetadata.keyId;
    await t.kms.encrypt({ keyId, plaintext });
    await expectKmsError(t.kms.encrypt({ keyId, plaintext }, APP), 'ACCESS_DENIED');
  });

  it('conditions on the encryption context: equals, subset of keys, required keys', async () => {
    const equals = await keyWith([
      {
        Effect: 'Allow',
        Principal: user('billing'),
        Action: 'kms:Encrypt',
        Resource: '*',
        Condition: { StringEquals: { 'kms:EncryptionContext:tenant': 'acme' } },
      },
    ]);
    await t.kms.encrypt({ keyId: equals, plaintext, encryptionContext: { tenant: 'acme' } }, BILLING);
    await expectKmsError(
      t.kms.encrypt({ keyId: equals, plaintext, encryptionContext: { tenant: 'evil' } }, BILLING),
      'ACCESS_DENIED',
    );
    await expectKmsError(t.kms.encrypt({ keyId: equals, plaintext }, BILLING), 'ACCESS_DENIED');

    const subset = await keyWith([
      {
        Effect: 'Allow',
        Principal: user('billing'),
        Action: 'kms:Encrypt',
        Resource: '*',
        Condition: {
          'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['tenant', 'purpose'] },
          Null: { 'kms:EncryptionContextKeys': 'false' },
        },
      },
    ]);
    await t.kms.encrypt({ keyId: subset, plaintext, encryptionContext: { tenant: 'a', purpose: 'b' } }, BILLING);
    await t.kms.encrypt({ keyId: subset, plaintext, encryptionContext: { tenant: 'a' } }, BILLING);
    await expectKmsError(
      t.kms.encrypt({ keyId: subset, plaintext, encryptionContext: { other: 'x' } }, BILLING),
      'ACCESS_DENIED',
    );
    await expectKmsError(t.kms.encrypt({ keyId: subset, plaintext }, BILLING), 'ACCESS_DENIED');
  });

  it('a condition on the encryption algorithm', async () => {
    const keyId = await keyWith(
      [
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 'kms:Encrypt',
          Resource: '*',
          Condition: { StringNotEquals: { 'kms:EncryptionAlgorithm': 'RSAES_OAEP_SHA_256' } },
        },
      ],
      { keySpec: 'RSA_2048', keyUsage: 'ENCRYPT_DECRYPT' },
    );
    await t.kms.encrypt({ keyId, plaintext, encryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
    await expectKmsError(t.kms.encrypt({ keyId, plaintext, encryptionAlgorithm: 'RSAES_OAEP_SHA_1' }), 'ACCESS_DENIED');
  });

  it('conditions on the alias: kms:RequestAlias and kms:ResourceAliases', async () => {
    const keyId = await keyWith([
      {
        Effect: 'Allow',
        Principal: user('billing'),
        Action: 'kms:Encrypt',
        Resource: '*',
        Condition: { StringEquals: { 'kms:RequestAlias': 'alias/billing' } },
      },
      {
        Effect: 'Allow',
        Principal: user('billing'),
        Action: 'kms:DescribeKey',
        Resource: '*',
        Condition: { 'ForAnyValue:StringLike': { 'kms:ResourceAliases': 'alias/bill*' } },
      },
    ]);
    await expectKmsError(t.kms.describeKey({ keyId }, BILLING), 'ACCESS_DENIED');
    await t.kms.createAlias({ aliasName: 'alias/billing', targetKeyId: keyId });
    await t.kms.encrypt({ keyId: 'alias/billing', plaintext }, BILLING);
    await expectKmsError(t.kms.encrypt({ keyId, plaintext }, BILLING), 'ACCESS_DENIED'); // by id: no alias used
    expect((await t.kms.describeKey({ keyId }, BILLING)).keyMetadata.keyId).toBe(keyId);
  });

  it('a condition on the time (aws:CurrentTime, from the clock)', async () => {
    const until = new Date(t.clock.now().getTime() + 60 * 60 * 1000).toISOString();
    const keyId = await keyWith([
      {
        Effect: 'Allow',
        Principal: user('billing'),
        Action: 'kms:Encrypt',
        Resource: '*',
        Condition: { DateLessThan: { 'aws:CurrentTime': until } },
      },
    ]);
    await t.kms.encrypt({ keyId, plaintext }, BILLING);
    t.clock.advanceMs(2 * 60 * 60 * 1000);
    await expectKmsError(t.kms.encrypt({ keyId, plaintext }, BILLING), 'ACCESS_DENIED');
  });

  it('ReEncrypt needs kms:ReEncryptFrom on the source and kms:ReEncryptTo on the destination', async () => {
    const source = await keyWith([{ Effect: 'Deny', Principal: '*', Action: 'kms:ReEncryptTo', Resource: '*' }]);
    const destination = await keyWith([{ Effect: 'Deny', Principal: '*', Action: 'kms:ReEncryptFrom', Resource: '*' }]);
    const blob = (await t.kms.encrypt({ keyId: source, plaintext })).ciphertextBlob;
    await t.kms.reEncrypt({ ciphertextBlob: blob, destinationKeyId: destination });
    const back = (await t.kms.encrypt({ keyId: destination, plaintext })).ciphertextBlob;
    await expectKmsError(t.kms.reEncrypt({ ciphertextBlob: back, destinationKeyId: source }), 'ACCESS_DENIED');
  });

  it('the lockout check refuses a policy that would stop the caller putting another, unless bypassed', async () => {
    const keyId = (await t.kms.createKey({})).keyMetadata.keyId;
    const lockout = policy({ Effect: 'Allow', Principal: user('billing'), Action: 'kms:*', Resource: '*' });
    await expectKmsError(t.kms.putKeyPolicy({ keyId, policy: lockout }), 'MALFORMED_POLICY_DOCUMENT');
    await expectKmsError(t.kms.createKey({ policy: lockout }), 'MALFORMED_POLICY_DOCUMENT');
    await t.kms.putKeyPolicy({ keyId, policy: lockout, bypassPolicyLockoutSafetyCheck: true });
    await expectKmsError(t.kms.putKeyPolicy({ keyId, policy: policy(ADMIN_STATEMENT) }), 'ACCESS_DENIED');
    const denyPut = policy(ADMIN_STATEMENT, {
      Effect: 'Deny',
      Principal: ROOT,
      Action: 'kms:PutKeyPolicy',
      Resource: '*',
    });
    await expectKmsError(t.kms.createKey({ policy: denyPut }), 'MALFORMED_POLICY_DOCUMENT');
    await t.kms.createKey({ policy: denyPut, bypassPolicyLockoutSafetyCheck: true });
  });

  it('a malformed policy is refused at PutKeyPolicy and CreateKey and changes nothing', async () => {
    const keyId = (await t.kms.createKey({})).keyMetadata.keyId;
    const before = await t.kms.getKeyPolicy({ keyId });
    const bad = policy({ ...ADMIN_STATEMENT, Condition: { StringEquals: { 'kms:Colour': 'red' } } });
    await expectKmsError(t.kms.putKeyPolicy({ keyId, policy: bad }), 'MALFORMED_POLICY_DOCUMENT');
    expect(await t.kms.getKeyPolicy({ keyId })).toEqual(before);
    await expectKmsError(t.kms.createKey({ policy: bad }), 'MALFORMED_POLICY_DOCUMENT');
  });

  it('compiled policies are cached by key record', () => {
    const record = { ...keyRecord(), policy: policy(ADMIN_STATEMENT) };
    expect(compiledPolicyOf(record, ACCOUNT)).toBe(compiledPolicyOf(record, ACCOUNT));
    expect(compiledPolicyOf({ ...record }, ACCOUNT)).toBe(compiledPolicyOf(record, ACCOUNT)); // same text
  });
});

describe('the safety net', () => {
  it('a key-targeted operation that never authorises its key fails INTERNAL', async () => {
    const store = withRowKey(await openSqliteStore(':memory:'));
    const service = new KeyService({
      store,
      rootOfTrust: {} as RootOfTrust,
      tokenHasher: new TokenHasher(createSecretKey(new Uint8Array(32))),
      auditChainKey: new Uint8Array(32),
      config: DEFAULT_CONFIG,
      now: () => new Date(),
      logger: { error: () => undefined },
    });
    try {
      const skipping = defineInternalOperation('SkipsItsKey', { access: 'read', states: ANY }, async () => ({}));
      await expectKmsError(service.runInternal(skipping, {}, { principal: 'p', roles: ['admin'] }), 'INTERNAL');
      const noKey = defineInternalOperation('OnNoKey', { access: 'read', states: null }, async () => ({ ok: true }));
      expect(await service.runInternal(noKey, {}, { principal: 'p', roles: ['admin'] })).toEqual({ ok: true });
    } finally {
      await service.close();
      await store.close();
    }
  });
});
