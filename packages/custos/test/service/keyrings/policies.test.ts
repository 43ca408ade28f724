// Keyring policies (MOSIP key_policy_def): put, get, list and delete, each change audited; a forged policy row is
// never used; an inactive policy or an accessAllowed list without the caller refuses use (KER-CRY-012).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '@custos/contract';
import { sqliteDriver } from '../../../src/store/sqlite-driver.js';
import { expectKmsError } from '../../../../contract/test/helpers/expect-kms-error.js';
import { openTestKms, utf8, type TestKms } from '../helpers.js';

const SqliteDatabase = sqliteDriver();
const ALICE: Caller = { principal: 'alice', roles: ['admin'] };
const BOB: Caller = { principal: 'bob', roles: ['key-user'] };

describe('keyrings: policies', () => {
  let t: TestKms;
  beforeAll(async () => {
    t = await openTestKms();
  });
  afterAll(async () => t?.cleanup());

  it('puts, gets, lists and deletes a policy; every change is audited', async () => {
    const { policy } = await t.kms.putKeyringPolicy({
      applicationId: 'PARTNER_X',
      validityDays: 365,
      preExpireDays: 30,
    });
    expect(policy).toEqual({
      applicationId: 'PARTNER_X',
      validityDays: 365,
      preExpireDays: 30,
      active: true,
      accessAllowed: 'NA',
    });
    await t.kms.putKeyringPolicy({ applicationId: 'PARTNER_X', validityDays: 100, preExpireDays: 10, active: false });
    expect((await t.kms.getKeyringPolicy({ applicationId: 'PARTNER_X' })).policy).toMatchObject({
      validityDays: 100,
      active: false,
    });
    expect((await t.kms.listKeyringPolicies({})).policies.map((p) => p.applicationId)).toContain('PARTNER_X');
    await t.kms.deleteKeyringPolicy({ applicationId: 'PARTNER_X' });
    await expectKmsError(t.kms.getKeyringPolicy({ applicationId: 'PARTNER_X' }), 'KEYRING_POLICY_NOT_FOUND');
    await expectKmsError(t.kms.deleteKeyringPolicy({ applicationId: 'PARTNER_X' }), 'KEYRING_POLICY_NOT_FOUND');
    const { records } = await t.kms.listAuditRecords({ limit: 1000 });
    const changes = records
      .filter((r) => ['PutKeyringPolicy', 'DeleteKeyringPolicy', 'SeedKeyringPolicies'].includes(r.operation))
      .map((r) => [r.operation, r.outcome]);
    expect(changes).toEqual([
      ['SeedKeyringPolicies', 'allowed'],
      ['PutKeyringPolicy', 'allowed'],
      ['PutKeyringPolicy', 'allowed'],
      ['DeleteKeyringPolicy', 'allowed'],
      ['DeleteKeyringPolicy', 'failed'],
    ]);
  });

  it('refuses bad policies', async () => {
    await expectKmsError(
      t.kms.putKeyringPolicy({ applicationId: 'BAD', validityDays: 10, preExpireDays: 10 }),
      'VALIDATION_ERROR',
    );
    await expectKmsError(
      t.kms.putKeyringPolicy({ applicationId: 'has space', validityDays: 10, preExpireDays: 1 }),
      'VALIDATION_ERROR',
    );
    await expectKmsError(
      t.kms.putKeyringPolicy({ applicationId: 'BAD', validityDays: 0, preExpireDays: 0 }),
      'VALIDATION_ERROR',
    );
  });

  it('an inactive policy generates nothing and allows no use (KEYRING_ACCESS_NOT_ALLOWED)', async () => {
    await t.kms.putKeyringPolicy({ applicationId: 'SLEEPY', validityDays: 100, preExpireDays: 10, active: false });
    const ring = { applicationId: 'SLEEPY', referenceId: '1' };
    await expectKmsError(t.kms.getKeyringCertificate(ring), 'KEYRING_ACCESS_NOT_ALLOWED');
    await expectKmsError(t.kms.keyringEncrypt({ ...ring, data: utf8('x') }), 'KEYRING_ACCESS_NOT_ALLOWED');
    await expectKmsError(
      t.kms.generateKeyringMasterKey({ applicationId: 'SLEEPY', objectType: 'CERTIFICATE' }),
      'KEYRING_ACCESS_NOT_ALLOWED',
    );
    expect((await t.kms.listKeys({ applicationId: 'SLEEPY' })).keys).toEqual([]);
  });

  it('accessAllowed names the principals that may use a keyring; others get KEYRING_ACCESS_NOT_ALLOWED', async () => {
    await t.kms.putKeyringPolicy({
      applicationId: 'ONLY_ALICE',
      validityDays: 100,
      preExpireDays: 10,
      accessAllowed: 'carol, alice',
    });
    const ring = { applicationId: 'ONLY_ALICE', referenceId: '1' };
    const { ciphertext } = await t.kms.keyringEncrypt({ ...ring, data: utf8('x') }, ALICE);
    await expectKmsError(t.kms.keyringDecrypt({ ...ring, ciphertext }, BOB), 'KEYRING_ACCESS_NOT_ALLOWED');
    await expectKmsError(t.kms.keyringEncrypt({ ...ring, data: utf8('x') }, BOB), 'KEYRING_ACCESS_NOT_ALLOWED');
    expect((await t.kms.keyringDecrypt({ ...ring, ciphertext }, ALICE)).plaintext).toEqual(utf8('x'));
  });

  it('a policy row edited in the database is never used (INTERNAL)', async () => {
    await t.kms.putKeyringPolicy({
      applicationId: 'EDITED',
      validityDays: 100,
      preExpireDays: 10,
      accessAllowed: 'alice',
    });
    const db = new SqliteDatabase(join(t.dir, 'custos.db'));
    try {
      db.prepare("update keyring_policies set access_allowed = 'NA' where application_id = 'EDITED'").run();
    } finally {
      db.close();
    }
    await expectKmsError(t.kms.getKeyringPolicy({ applicationId: 'EDITED' }), 'INTERNAL');
    await expectKmsError(
      t.kms.keyringEncrypt({ applicationId: 'EDITED', referenceId: '1', data: utf8('x') }, BOB),
      'INTERNAL',
    );
  });
});
