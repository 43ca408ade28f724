// The web console end to end, in Debian's Chromium (playwright-core) against a real `custos server` started from the
// built CLI (console-helpers.ts): sign-in (a wrong token is refused clearly), create a key through the form, find it
// by search, encrypt and decrypt in Try it, disable it, schedule and cancel its deletion, see the audit records, the
// overview and the keyrings, create a key-user token (which then sees no management button) and revoke it, sign out.
// Key detail's editors are in console-key-detail.test.ts, audit follow and export and access keys in
// console-audit-access.test.ts. Screenshots of every page at 1280 and 390 px go to test-output/console/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPresent, count, eventually, hasText, startRig, type ConsoleRig } from './console-helpers.js';

const ALIAS = 'alias/console-e2e';

describe.skipIf(!chromiumPresent())('the web console in Chromium', () => {
  let rig: ConsoleRig;
  let keyId: string;
  let userToken: string;
  const page = () => rig.page;

  beforeAll(async () => {
    rig = await startRig();
  });

  afterAll(async () => {
    await rig?.close();
  });

  it('is served with a strict CSP and no framing', async () => {
    const res = await fetch(`${rig.base}/console/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it('refuses a wrong token with a clear error', async () => {
    await rig.signIn('cst_not-a-real-token');
    await hasText(page().getByRole('alert'), 'UNAUTHENTICATED');
    await rig.shoot('sign-in-error');
  });

  it('signs in and shows who is signed in', async () => {
    await rig.signIn(rig.admin);
    await hasText(page().getByTestId('whoami'), 'admin');
    await page().getByRole('heading', { level: 1, name: 'Keys' }).waitFor();
    // The token stays out of the URL.
    expect(page().url()).not.toContain(rig.admin);
  });

  it('creates a key through the form', async () => {
    await rig.go('create', 'Create key');
    await page().getByLabel('Key usage').selectOption('ENCRYPT_DECRYPT');
    await page().getByLabel('Key spec').selectOption('AES_256');
    await page().getByLabel('Alias').fill(ALIAS);
    await page().getByLabel('Description').fill('made by the console test');
    await page().getByLabel('Tags').fill('team=console');
    await rig.shoot('create-key');
    await page().getByRole('button', { name: 'Create key' }).click();
    await page().getByRole('heading', { level: 1, name: /^Key / }).waitFor();
    keyId = decodeURIComponent(page().url().split('#/keys/')[1] ?? '');
    expect(keyId).toMatch(/^[0-9a-f-]{36}$/);
    await hasText(page().getByRole('list', { name: 'Aliases' }), ALIAS);
    await hasText(page().getByRole('list', { name: 'Tags' }), 'team=console');
  });

  it('finds the key by alias search', async () => {
    await rig.go('keys', 'Keys');
    await page().getByLabel('Search').fill(ALIAS);
    await page().getByRole('button', { name: 'Search', exact: true }).click();
    await page().getByRole('link', { name: keyId }).waitFor();
    await count(page().locator('tbody tr'), 1);
    await rig.shoot('keys');
  });

  it('encrypts and decrypts in Try it', async () => {
    await rig.go(`try?key=${encodeURIComponent(ALIAS)}`, 'Try it');
    await page().getByLabel('Plaintext', { exact: true }).fill('console round trip');
    await page().getByRole('button', { name: 'Encrypt', exact: true }).click();
    await eventually(async () => {
      expect(await page().getByRole('textbox', { name: 'Ciphertext (base64)' }).inputValue()).not.toBe('');
    });
    await page().getByRole('button', { name: 'Decrypt', exact: true }).click();
    await hasText(page().getByTestId('decrypted'), 'console round trip');
    await rig.shoot('try-it');
  });

  it('disables the key, schedules its deletion with a typed confirmation, and cancels it', async () => {
    await rig.go(`keys/${keyId}`, /^Key /);
    await page().getByRole('button', { name: 'Disable key' }).click();
    await hasText(page().locator('.badge').first(), /Disabled/);
    const schedule = page().getByRole('button', { name: 'Schedule deletion' });
    expect(await schedule.isDisabled()).toBe(true);
    await page().getByLabel('Type the key id or an alias to confirm deletion').fill(ALIAS);
    // The key was used a moment ago (Try it): refused unless forced, and the console says why.
    await schedule.click();
    await hasText(page().getByRole('alert'), /KEY_RECENTLY_USED/);
    await page().getByLabel('Schedule even if the key was used recently (force)').check();
    await schedule.click();
    await hasText(page().locator('.badge').first(), /PendingDeletion/);
    await rig.shoot('key-detail');
    await page().getByRole('button', { name: 'Cancel deletion' }).click();
    await hasText(page().locator('.badge').first(), /Disabled/);
  });

  it('shows the matching audit records and the chain status', async () => {
    await rig.go(`audit?key=${encodeURIComponent(keyId)}`, 'Audit');
    const table = page().locator('tbody');
    for (const op of ['CreateKey', 'Encrypt', 'Decrypt', 'DisableKey', 'ScheduleKeyDeletion', 'CancelKeyDeletion']) {
      await table.getByRole('cell', { name: op, exact: true }).first().waitFor();
    }
    await hasText(page().getByTestId('chain-status'), 'Chain verified');
    await rig.shoot('audit');
  });

  it('creates a key-user token, shown once', async () => {
    await rig.go('access', 'Access');
    await page().getByLabel('Token description').fill('console key user');
    await page().getByRole('button', { name: 'Create token' }).click();
    userToken = (await page().getByTestId('secret').textContent()) ?? '';
    expect(userToken).toMatch(/^cst_/);
    await page().getByRole('cell', { name: 'console key user' }).waitFor();
    await rig.shoot('access');
  });

  it('shows the overview: server, seal, keys by state, the last hour', async () => {
    const me = await rig.kms.whoAmI({});
    await rig.go('overview', 'Overview');
    const card = (title: string) => page().getByRole('region', { name: title });
    await hasText(card('Server'), 'unsealed ✓');
    await hasText(card('Server'), me.server.version);
    await hasText(card('Server'), me.server.node);
    // The console's key is Disabled now (the test above), and the last hour holds this test's requests.
    await hasText(card('Keys by state'), /Disabled\s*1/);
    await hasText(card('Last hour'), /Requests\s*(≥ )?[1-9]/);
    await hasText(card('Last hour'), /Error rate\s*\d/);
    await rig.shoot('overview');
  });

  it('shows the keyrings: a policy and its current keys', async () => {
    await rig.kms.putKeyringPolicy({ applicationId: 'CONSOLE_APP', validityDays: 365, preExpireDays: 30 });
    const master = await rig.kms.generateKeyringMasterKey({ applicationId: 'CONSOLE_APP', objectType: 'CERTIFICATE' });
    await rig.go('keyrings', 'Keyrings');
    const row = page().locator('tr', { hasText: 'CONSOLE_APP' });
    await hasText(row, /CONSOLE_APP\s*365\s*30\s*yes/);
    await row.getByRole('button', { name: 'Show keys' }).click();
    const keys = page().getByRole('table', { name: 'Keys and certificates of CONSOLE_APP' });
    await count(keys.locator('tbody tr'), 1);
    await hasText(keys, master.keyId);
    await rig.shoot('keyrings');
  });

  it('shows a key-user token no management button', async () => {
    await rig.signOut();
    await rig.signIn(userToken);
    await hasText(page().getByTestId('whoami'), 'key-user');
    await count(page().getByRole('link', { name: 'Create key' }), 0);
    await count(page().getByRole('link', { name: 'Access' }), 0);
    await rig.go(`keys/${keyId}`, /^Key /);
    await page().getByRole('heading', { name: 'Actions' }).waitFor();
    for (const name of ['Disable key', 'Enable key', 'Schedule deletion', 'Update description', 'Add alias']) {
      await count(page().getByRole('button', { name }), 0);
    }
    await rig.shoot('key-detail-key-user');
  });

  it('revokes the token, and signs out', async () => {
    await rig.signOut();
    await rig.signIn(rig.admin);
    await rig.go('access', 'Access');
    const row = page().locator('tr', { hasText: 'console key user' });
    await row.getByRole('button', { name: /^Revoke token/ }).click();
    await hasText(row, 'revoked');
    await rig.signOut();
    await rig.signIn(userToken);
    await hasText(page().getByRole('alert'), 'UNAUTHENTICATED');
  });
});
