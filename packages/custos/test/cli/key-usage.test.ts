// `custos key usage`, `key min-decryption-version`, `key trim-versions` and `key schedule-deletion --force` end to end
// against a real server (issue 19).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, type TestServer, errorCode, startTestServer } from './helpers.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t?.stop());

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- a typed view the assertions check
function json<T = Record<string, unknown>>(r: CliResult): T {
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout.toString()) as T;
}

const plaintext = new TextEncoder().encode('cli usage');

describe('custos key usage and versions', { timeout: 120_000 }, () => {
  it('key usage prints the counts per version and operation; key describe shows LastUsedAt', async () => {
    const { keyId } = (await t.kms.createKey({})).keyMetadata;
    await t.kms.encrypt({ keyId, plaintext });
    await t.kms.encrypt({ keyId, plaintext });
    const usage = json<{ usage: { keyVersion: number; operation: string; count: number }[] }>(
      await t.run(['key', 'usage', keyId, '--json']),
    );
    expect(usage.usage).toMatchObject([{ keyVersion: 1, operation: 'Encrypt', count: 2 }]);
    const table = (await t.run(['key', 'usage', keyId])).stdout.toString();
    expect(table).toMatch(/VERSION\s+OPERATION\s+COUNT\s+LAST USED/);
    expect(table).toMatch(/^1\s+Encrypt\s+2\s/m);
    expect((await t.run(['key', 'describe', keyId])).stdout.toString()).toMatch(/^LastUsedAt\s+\S+/m);
  });

  it('key schedule-deletion refuses a recently used key (KEY_RECENTLY_USED) and schedules it with --force', async () => {
    const { keyId } = (await t.kms.createKey({})).keyMetadata;
    await t.kms.encrypt({ keyId, plaintext });
    const refused = await t.run(['key', 'schedule-deletion', keyId, '--days', '7']);
    expect(refused.code).not.toBe(0);
    expect(errorCode(refused)).toBe('KEY_RECENTLY_USED');
    expect(json(await t.run(['key', 'schedule-deletion', keyId, '--days', '7', '--force', '--json']))).toMatchObject({
      keyState: 'PendingDeletion',
    });
  });

  it('key min-decryption-version and key trim-versions', async () => {
    const { keyId } = (await t.kms.createKey({})).keyMetadata;
    await t.kms.rotateKeyOnDemand({ keyId });
    expect(json(await t.run(['key', 'min-decryption-version', keyId, '2', '--json']))).toMatchObject({
      minDecryptionVersion: 2,
      currentKeyVersion: 2,
    });
    const tooHigh = await t.run(['key', 'min-decryption-version', keyId, '3']);
    expect(errorCode(tooHigh)).toBe('VALIDATION_ERROR');
    expect(json(await t.run(['key', 'trim-versions', keyId, '--days', '7', '--json']))).toMatchObject({
      trimmedBelowVersion: 2,
      pendingWindowInDays: 7,
    });
  });
});
