// Audit and Access in Chromium against a real server (console-helpers.ts): live follow (a record made while
// following appears without a reload), export (the downloaded files hold the records shown, and the verifiable
// export's records and checkpoints), and access keys (created with the secret shown once, listed, revoked).
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPresent, count, hasText, startRig, type ConsoleRig } from './console-helpers.js';

describe.skipIf(!chromiumPresent())('audit and access in Chromium', () => {
  let rig: ConsoleRig;
  let keyId: string;
  const page = () => rig.page;

  /** Clicks `button` and returns the JSON of the file it downloads, and the file's name. */
  async function downloaded(button: string): Promise<{ name: string; json: unknown }> {
    const waiting = page().waitForEvent('download');
    await page().getByRole('button', { name: button }).click();
    const download = await waiting;
    const path = await download.path();
    return { name: download.suggestedFilename(), json: JSON.parse(await readFile(path, 'utf8')) };
  }

  beforeAll(async () => {
    rig = await startRig();
    keyId = (await rig.kms.createKey({ keySpec: 'AES_256', keyUsage: 'ENCRYPT_DECRYPT' })).keyMetadata.keyId;
    await rig.signIn(rig.admin);
    await hasText(rig.page.getByTestId('whoami'), 'admin');
  });

  afterAll(async () => {
    await rig?.close();
  });

  it('follows the log live: a record made while following appears', async () => {
    await rig.go('audit', 'Audit');
    await page().getByRole('cell', { name: keyId }).first().waitFor();
    const later = 'made while the console follows';
    const follow = page().getByRole('checkbox', { name: 'Live follow' });
    await follow.check();
    const { keyMetadata } = await rig.kms.createKey({
      keySpec: 'HMAC_256',
      keyUsage: 'GENERATE_VERIFY_MAC',
      description: later,
    });
    // The page loaded its records before this key existed: only the follow can bring its CreateKey record in.
    const row = page().locator('tbody tr', { hasText: keyMetadata.keyId });
    await hasText(row, 'CreateKey');
    await hasText(row, 'allowed');
    await follow.uncheck();
  });

  it('exports the records shown, and the verifiable export', async () => {
    await rig.go(`audit?key=${encodeURIComponent(keyId)}`, 'Audit');
    await page().getByRole('cell', { name: 'CreateKey', exact: true }).first().waitFor();
    const shown = await downloaded('Export shown (JSON)');
    expect(shown.name).toBe('custos-audit.json');
    const records = shown.json as { operation: string; keyId: string; outcome: string }[];
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((r) => r.keyId === keyId)).toBe(true);
    expect(records.map((r) => r.operation)).toContain('CreateKey');
    const verifiable = await downloaded('Export verifiable');
    expect(verifiable.name).toBe('custos-audit-export.json');
    expect(verifiable.json).toMatchObject({ records: expect.any(Array), checkpoints: expect.any(Array) });
    await rig.shoot('audit-export');
  });

  it('creates an access key with its secret shown once, lists it, and revokes it', async () => {
    await rig.go('access', 'Access');
    const section = page().getByRole('region', { name: 'Access keys (AWS SigV4)' });
    await section.getByRole('button', { name: 'Create access key' }).click();
    const secret = (await section.getByTestId('secret').textContent()) ?? '';
    const [accessKeyId = '', secretAccessKey = ''] = secret.split(' ');
    expect(accessKeyId).toMatch(/^AKIACUSTOS[A-Z2-7]{10}$/);
    expect(secretAccessKey).toHaveLength(40);
    const row = section.locator('tbody tr', { hasText: accessKeyId });
    await hasText(row, 'active');
    await hasText(row, 'key-user');
    await rig.shoot('access-keys');
    // Shown once: a fresh page lists the key but not its secret.
    await page().reload();
    await hasText(row, 'active');
    await count(section.getByTestId('secret'), 0);
    expect(await page().content()).not.toContain(secretAccessKey);
    await row.getByRole('button', { name: `Revoke access key ${accessKeyId}` }).click();
    await hasText(row, 'revoked');
    const listed = (await rig.kms.listAccessKeys({})).accessKeys.find((k) => k.accessKeyId === accessKeyId);
    expect(listed?.revokedAt).toBeInstanceOf(Date);
  });
});
