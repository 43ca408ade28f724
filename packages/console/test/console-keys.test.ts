// The Keys page end to end, in Chromium against a real `custos server`: 60 keys of mixed specs, states, tags and
// aliases (made through RemoteKms), then the server-side filters, tag and alias search, sorting by key id both ways,
// and paging next/previous, each page one ListKeys request. Needs `npm run build` and /usr/bin/chromium, as
// console.test.ts (whose launch this copies); without Chromium it skips loudly (fails under CUSTOS_REQUIRE_CHROMIUM=1).
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteKms } from '@custos/client';
import { freePort, spawnCli } from '../../custos/test/cli/helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
if (!present) {
  if (process.env.CUSTOS_REQUIRE_CHROMIUM === '1') throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
  process.stderr.write(`SKIPPED: the console's Keys page test needs ${CHROMIUM} (apt-get install chromium)\n`);
}

/** Retries `check` until it passes (the page updates after its API calls), for up to 10 s. */
async function eventually(check: () => Promise<void>): Promise<void> {
  const end = Date.now() + 10_000;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > end) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

interface Seeded {
  id: string;
  created: number;
  spec: string;
  disabled: boolean;
  pay: boolean;
  alias: string;
}

describe.skipIf(!present)('the Keys page with 60 keys in Chromium', () => {
  let dir: string;
  let server: ChildProcess;
  let base: string;
  let browser: BrowserContext;
  let page: Page;
  const seeded: Seeded[] = [];
  let apiRequests = 0;

  /** The key ids of the table's rows, in order. */
  const shownIds = () => page.locator('tbody tr td:nth-child(2) a').allTextContents();

  async function rowsAre(expected: readonly string[]): Promise<void> {
    await eventually(async () => {
      expect(await shownIds()).toEqual(expected);
    });
  }

  async function search(text: string): Promise<void> {
    await page.getByLabel('Search').fill(text);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'custos-console-keys-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawnCli(['server', '--data-dir', dir, '--listen', `127.0.0.1:${port}`, '--log-level', 'warn']);
    server.stdout?.resume();
    server.stderr?.resume();
    for (let i = 0; i < 300; i++) {
      const ok = await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const admin = (await readFile(join(dir, 'admin.token'), 'utf8')).trim();
    const kms = new RemoteKms({ endpoint: base, token: admin });
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
    browser = await chromium.launchPersistentContext(join(dir, 'chromium'), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    // Oldest first, as ListKeys sorts by creation (ties by key id): the tests reverse it for the default, newest first.
    seeded.sort((a, b) => a.created - b.created || (a.id < b.id ? -1 : 1));
    page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(10_000);
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.startsWith('/v1/keys')) apiRequests++;
    });
    await page.goto(`${base}/console/`);
    await page.getByLabel('API token').fill(admin);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Keys' }).waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    server?.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 200));
    await rm(dir, { recursive: true, force: true });
  });

  it('pages newest first, next and previous, one request per page', async () => {
    const newest = seeded.map((k) => k.id).reverse();
    await rowsAre(newest.slice(0, 25));
    apiRequests = 0;
    await page.getByRole('button', { name: 'Next page' }).click();
    await rowsAre(newest.slice(25, 50));
    expect(apiRequests).toBe(1);
    await page.getByRole('button', { name: 'Next page' }).click();
    await rowsAre(newest.slice(50));
    expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await rowsAre(newest.slice(25, 50));
    await page.getByRole('button', { name: 'Previous page' }).click();
    await rowsAre(newest.slice(0, 25));
    // The table reads without colour: the state is a word, the aliases and columns are there.
    const first = page.locator('tbody tr').first();
    expect(await first.textContent()).toContain(seeded[59]?.alias ?? '-');
    expect(await page.locator('thead th').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('Key id'), 'Spec', 'State', 'Last rotated']),
    );
  });

  it('filters by state and spec on the server, over every page', async () => {
    await page.getByLabel('State').selectOption('Disabled');
    const disabled = seeded.filter((k) => k.disabled).reverse();
    await rowsAre(disabled.map((k) => k.id));
    for (const text of await page.locator('tbody tr td:nth-child(5)').allTextContents())
      expect(text).toContain('Disabled');
    await page.getByLabel('Spec').selectOption('ECC_NIST_P256');
    await rowsAre(disabled.filter((k) => k.spec === 'ECC_NIST_P256').map((k) => k.id));
    await page.getByLabel('State').selectOption('');
    await page.getByLabel('Spec').selectOption('');
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
    await page.getByRole('button', { name: 'Key id' }).click();
    await rowsAre(byId.slice(0, 25));
    expect(await page.getByRole('columnheader', { name: 'Key id' }).getAttribute('aria-sort')).toBe('ascending');
    await page.getByRole('button', { name: 'Next page' }).click();
    await rowsAre(byId.slice(25, 50));
    await page.getByRole('button', { name: 'Key id' }).click();
    await rowsAre([...byId].reverse().slice(0, 25));
    expect(await page.getByRole('columnheader', { name: 'Key id' }).getAttribute('aria-sort')).toBe('descending');
  });
});
