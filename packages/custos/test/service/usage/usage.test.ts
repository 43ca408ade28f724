// Usage telemetry (issue 19) through LocalKms on SQLite: counts per version and operation, lastUsedAt in DescribeKey,
// counts kept across a graceful restart, the recent-use refusal of ScheduleKeyDeletion (and force), and maxUses still
// enforced durably beside the batched counts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidStateError, LimitExceededError } from '@custos/contract';
import { expectKmsError } from '../../../../contract/test/helpers/expect-kms-error.js';
import { openTestKms, utf8, type TestKms } from '../helpers.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const plaintext = utf8('usage');

describe('key usage telemetry', () => {
  let t: TestKms;
  beforeAll(async () => {
    // Flushed only on close (and when asked): a restart must carry the counts over.
    t = await openTestKms({ config: { minPendingWindowDays: 1, usageFlushIntervalMs: 0 } });
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('counts uses per version and operation, and DescribeKey shows the last use', async () => {
    const { keyMetadata } = await t.kms.createKey({});
    const keyId = keyMetadata.keyId;
    expect((await t.kms.getKeyUsage({ keyId })).usage).toEqual([]);
    expect((await t.kms.describeKey({ keyId })).keyMetadata.lastUsedAt).toBeUndefined();
    const v1 = (await t.kms.encrypt({ keyId, plaintext })).ciphertextBlob;
    await t.kms.encrypt({ keyId, plaintext });
    await t.kms.rotateKeyOnDemand({ keyId });
    t.clock.advanceMs(5_000);
    await t.kms.encrypt({ keyId, plaintext });
    await t.kms.decrypt({ ciphertextBlob: v1 });
    await t.kms.generateDataKey({ keyId, keySpec: 'AES_256' });
    const usage = await t.kms.getKeyUsage({ keyId });
    const rows = usage.usage.map((u) => [u.keyVersion, u.operation, u.count]);
    expect(rows).toEqual([
      [1, 'Decrypt', 1],
      [1, 'Encrypt', 2],
      [2, 'Encrypt', 1],
      [2, 'GenerateDataKey', 1],
    ]);
    expect(usage.lastUsedAt).toEqual(t.clock.now());
    expect((await t.kms.describeKey({ keyId })).keyMetadata.lastUsedAt).toEqual(t.clock.now());
  });

  it('counts signatures and verifications of signing keys', async () => {
    const { keyMetadata } = await t.kms.createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' });
    const keyId = keyMetadata.keyId;
    const { signature } = await t.kms.sign({ keyId, message: plaintext, signingAlgorithm: 'ECDSA_SHA_256' });
    await t.kms.verify({ keyId, message: plaintext, signature, signingAlgorithm: 'ECDSA_SHA_256' });
    const rows = (await t.kms.getKeyUsage({ keyId })).usage.map((u) => [u.keyVersion, u.operation, u.count]);
    expect(rows).toEqual([
      [1, 'Sign', 1],
      [1, 'Verify', 1],
    ]);
    // A signing key has no minimum decryption version.
    expect((await t.kms.describeKey({ keyId })).keyMetadata.minDecryptionVersion).toBeUndefined();
  });

  it('keeps the counts across a graceful restart (flushed on close), adding to them after', async () => {
    const { keyMetadata } = await t.kms.createKey({});
    const keyId = keyMetadata.keyId;
    for (let i = 0; i < 3; i++) await t.kms.encrypt({ keyId, plaintext });
    await t.reopen({ config: { minPendingWindowDays: 1, usageFlushIntervalMs: 0 } });
    expect((await t.kms.getKeyUsage({ keyId })).usage).toMatchObject([
      { keyVersion: 1, operation: 'Encrypt', count: 3 },
    ]);
    await t.kms.encrypt({ keyId, plaintext });
    await t.reopen({ config: { minPendingWindowDays: 1, usageFlushIntervalMs: 0 } });
    expect((await t.kms.getKeyUsage({ keyId })).usage).toMatchObject([
      { keyVersion: 1, operation: 'Encrypt', count: 4 },
    ]);
  });

  it('still enforces maxUses across a restart, and counts only the uses it allowed', async () => {
    const { keyMetadata } = await t.kms.createKey({ usageConstraints: { maxUses: 2 } });
    const keyId = keyMetadata.keyId;
    await t.kms.encrypt({ keyId, plaintext });
    await t.reopen({ config: { minPendingWindowDays: 1, usageFlushIntervalMs: 0 } });
    await t.kms.encrypt({ keyId, plaintext });
    await expectKmsError(t.kms.encrypt({ keyId, plaintext }), 'USAGE_LIMIT_EXCEEDED', LimitExceededError);
    expect((await t.kms.describeKey({ keyId })).keyMetadata.usageConstraints.useCount).toBe(2);
    expect((await t.kms.getKeyUsage({ keyId })).usage).toMatchObject([{ operation: 'Encrypt', count: 2 }]);
  });

  it('refuses to schedule the deletion of a recently used key unless forced, naming the last use', async () => {
    const { keyMetadata } = await t.kms.createKey({});
    const keyId = keyMetadata.keyId;
    await t.kms.encrypt({ keyId, plaintext });
    const used = t.clock.now();
    t.clock.advanceDays(29);
    const error = await expectKmsError(
      t.kms.scheduleKeyDeletion({ keyId, pendingWindowInDays: 7 }),
      'KEY_RECENTLY_USED',
      InvalidStateError,
    );
    expect(error.message).toContain(used.toISOString());
    expect((await t.kms.describeKey({ keyId })).keyMetadata.keyState).toBe('Enabled');
    const forced = await t.kms.scheduleKeyDeletion({ keyId, pendingWindowInDays: 7, force: true });
    expect(forced.keyState).toBe('PendingDeletion');
  });

  it('schedules without force a key never used, or last used longer ago than the setting', async () => {
    const never = (await t.kms.createKey({})).keyMetadata.keyId;
    expect((await t.kms.scheduleKeyDeletion({ keyId: never, pendingWindowInDays: 7 })).keyState).toBe(
      'PendingDeletion',
    );
    const old = (await t.kms.createKey({})).keyMetadata.keyId;
    await t.kms.encrypt({ keyId: old, plaintext });
    t.clock.advanceMs(30 * DAY_MS + 1);
    expect((await t.kms.scheduleKeyDeletion({ keyId: old, pendingWindowInDays: 7 })).keyState).toBe('PendingDeletion');
  });

  it('deletionRecentUseDays sets the period, and 0 turns the refusal off', async () => {
    const keyId = (await t.kms.createKey({})).keyMetadata.keyId;
    await t.kms.encrypt({ keyId, plaintext });
    await t.reopen({ config: { minPendingWindowDays: 1, deletionRecentUseDays: 0 } });
    expect((await t.kms.scheduleKeyDeletion({ keyId, pendingWindowInDays: 7 })).keyState).toBe('PendingDeletion');
    await t.kms.cancelKeyDeletion({ keyId });
    await t.reopen({ config: { minPendingWindowDays: 1, deletionRecentUseDays: 1, usageFlushIntervalMs: 0 } });
    await t.kms.enableKey({ keyId });
    await t.kms.encrypt({ keyId, plaintext });
    await expectKmsError(t.kms.scheduleKeyDeletion({ keyId, pendingWindowInDays: 7 }), 'KEY_RECENTLY_USED');
    t.clock.advanceDays(2);
    expect((await t.kms.scheduleKeyDeletion({ keyId, pendingWindowInDays: 7 })).keyState).toBe('PendingDeletion');
  });
});
