// The Keys page end to end, in Chromium against a real `custos server`: 60 keys of mixed specs, states, tags and
// aliases (made through RemoteKms), then the server-side filters, tag and alias search, sorting by key id both ways,
// and paging next/previous, each page one ListKeys request. Needs `npm run build` and /usr/bin/chromium, as
// the other browser tests (console-helpers.ts); without Chromium it skips loudly (fails under CUSTOS_REQUIRE_CHROMIUM=1).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPresent, eventually, startRig, type ConsoleRig } from './console-helpers.js';

const present = chromiumPresent();

interface Seeded {
  id: string;
  created: number;
  spec: string;
  disabled: boolean;
  pay: boolean;
  alias: string;
}

describe.skipIf(!present)('the Keys page with 60 keys in Chromium', () => {
  let rig: ConsoleRig;
  const seeded: Seeded[] = [];
  let apiRequests = 0;

  /** The key ids of the table's rows, in order. */
  const shownIds = () => rig.page.locator('tbody tr td:nth-child(2) a').allTextContents();

  async function rowsAre(expected: readonly string[]): Promise<void> {
    await eventually(async () => {
      expect(await shownIds()).toEqual(expected);
    });
  }

  async function search(text: string): Promise<void> {
    await rig.page.getByLabel('Search').fill(text);
    await rig.page.getByRole('button', { name: 'Search', exact: true }).click();
  }

  beforeAll(async () => {
    rig = await startRig();
    const { kms } = rig;
    for (let n = 0; n < 60; n++) {
      const ec = n % 3 === 2;
      const pay = n % 3 === 0;
      const { keyMetadata } = await kms.createKey({
        ...(ec ? { keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' } : {}),
        tags: [{ tagKey: 'team', tagValue: pay ? 'pay' : 'ops' }],
      });
      const alias = `alias/e2e-${String(n).padStart(2, '0')}`;
      await kms.createAlias({ aliasName: alias, targetKeyId: keyMetadata.keyId });
      const disabled = n % 4 === 1;
      if (disabled) await kms.disableKey({ keyId: keyMetadata.keyId });
      seeded.push({
        id: keyMetadata.keyId,
        created: keyMetadata.creationDate.getTime(),
        spec: ec ? 'ECC_NIST_P256' : 'SYMMETRIC_DEFAULT',
        disabled,
        pay,
        alias,
      });
    }
    // Oldest first, as ListKeys sorts by creation (ties by key id): the tests reverse it for the default, newest first.
    seeded.sort((a, b) => a.created - b.created || (a.id < b.id ? -1 : 1));
    rig.page.on('request', (r) => {
      if (new URL(r.url()).pathname.startsWith('/v1/keys')) apiRequests++;
    });
    await rig.signIn(rig.admin);
    await rig.page.getByRole('heading', { level: 1, name: 'Keys' }).waitFor();
  }, 120_000);

  afterAll(async () => {
    await rig?.close();
  });

  it('pages newest first, next and previous, one request per page', async () => {
    const newest = seeded.map((k) => k.id).reverse();
    await rowsAre(newest.slice(0, 25));
    apiRequests = 0;
    await rig.page.getByRole('button', { name: 'Next page' }).click();
    await rowsAre(newest.slice(25, 50));
    expect(apiRequests).toBe(1);
    await rig.page.getByRole('button', { name: 'Next page' }).click();
    await rowsAre(newest.slice(50));
    expect(await rig.page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
    await rig.page.getByRole('button', { name: 'Previous page' }).click();
    await rowsAre(newest.slice(25, 50));
    await rig.page.getByRole('button', { name: 'Previous page' }).click();
    await rowsAre(newest.slice(0, 25));
    // The table reads without colour: the state is a word, the aliases and columns are there.
    const first = rig.page.locator('tbody tr').first();
    expect(await first.textContent()).toContain(seeded[59]?.alias ?? '-');
    expect(await rig.page.locator('thead th').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('Key id'), 'Spec', 'State', 'Last rotated']),
    );
  });

  it('filters by state and spec on the server, over every page', async () => {
    await rig.page.getByLabel('State').selectOption('Disabled');
    const disabled = seeded.filter((k) => k.disabled).reverse();
    await rowsAre(disabled.map((k) => k.id));
    for (const text of await rig.page.locator('tbody tr td:nth-child(5)').allTextContents())
      expect(text).toContain('Disabled');
    await rig.page.getByLabel('Spec').selectOption('ECC_NIST_P256');
    await rowsAre(disabled.filter((k) => k.spec === 'ECC_NIST_P256').map((k) => k.id));
    await rig.page.getByLabel('State').selectOption('');
    await rig.page.getByLabel('Spec').selectOption('');
    await rowsAre(
      seeded
        .map((k) => k.id)
        .reverse()
        .slice(0, 25),
    );
  });

  it('searches by tag and by alias prefix', async () => {
    await search('team=pay');
    await rowsAre(
      seeded
        .filter((k) => k.pay)
        .map((k) => k.id)
        .reverse(),
    );
    await search('e2e-1');
    await rowsAre(
      seeded
        .filter((k) => k.alias.startsWith('alias/e2e-1'))
        .map((k) => k.id)
        .reverse(),
    );
    await search('');
    await rowsAre(
      seeded
        .map((k) => k.id)
        .reverse()
        .slice(0, 25),
    );
  });

  it('sorts by key id both ways, and pages in that order', async () => {
    const byId = seeded.map((k) => k.id).sort();
    await rig.page.getByRole('button', { name: 'Key id' }).click();
    await rowsAre(byId.slice(0, 25));
    expect(await rig.page.getByRole('columnheader', { name: 'Key id' }).getAttribute('aria-sort')).toBe('ascending');
    await rig.page.getByRole('button', { name: 'Next page' }).click();
    await rowsAre(byId.slice(25, 50));
    await rig.page.getByRole('button', { name: 'Key id' }).click();
    await rowsAre([...byId].reverse().slice(0, 25));
    expect(await rig.page.getByRole('columnheader', { name: 'Key id' }).getAttribute('aria-sort')).toBe('descending');
  });
});
