// What the console's browser tests share: one real `custos server` (the built CLI) and one headless Debian Chromium
// (playwright-core) per test file, sign-in and navigation, retrying assertions, and screenshots at 1280 and 390 px
// into test-output/console/ (not committed). Needs `npm run build` and /usr/bin/chromium (`apt-get install
// chromium`; .ci/run installs it); without it the tests skip loudly, and fail under CUSTOS_REQUIRE_CHROMIUM=1.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildProcess } from 'node:child_process';
import { RemoteKms } from '@custos/client';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { freePort, spawnCli } from '../../custos/test/cli/helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = fileURLToPath(new URL('../../../test-output/console/', import.meta.url));
const WIDTHS = [1280, 390] as const;

/** Whether Chromium is there; says so loudly when not (a skipped browser test hides a broken console). */
export function chromiumPresent(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CUSTOS_REQUIRE_CHROMIUM === '1') throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
  process.stderr.write(`SKIPPED: the console's browser test needs ${CHROMIUM} (apt-get install chromium)\n`);
  return false;
}

/** Retries `check` until it passes (the page updates after its API calls), for up to 10 s. */
export async function eventually(check: () => Promise<void>): Promise<void> {
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

export const hasText = (locator: Locator, text: string | RegExp) =>
  eventually(async () => {
    const content = (await locator.first().textContent()) ?? '';
    if (typeof text === 'string') expect(content).toContain(text);
    else expect(content).toMatch(text);
  });

export const count = (locator: Locator, n: number) =>
  eventually(async () => {
    expect(await locator.count()).toBe(n);
  });

/** A running server and browser, and the page the tests drive. */
export interface ConsoleRig {
  readonly base: string;
  readonly admin: string;
  readonly page: Page;
  /** The admin's RemoteKms, for setting up data the test then looks at in the console. */
  readonly kms: RemoteKms;
  readonly shots: string[];
  shoot(name: string): Promise<void>;
  go(route: string, title: string | RegExp): Promise<void>;
  signIn(token: string): Promise<void>;
  signOut(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a server in a fresh data directory and Chromium on it; `close()` stops both and removes the directory. */
export async function startRig(): Promise<ConsoleRig> {
  await mkdir(SHOTS, { recursive: true });
  const dir = await mkdtemp(join(tmpdir(), 'custos-console-e2e-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server: ChildProcess = spawnCli([
    'server',
    '--data-dir',
    dir,
    '--listen',
    `127.0.0.1:${port}`,
    '--log-level',
    'warn',
  ]);
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
  const browser: BrowserContext = await chromium.launchPersistentContext(join(dir, 'chromium'), {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
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
  // The copy buttons write the clipboard, and the tests read it back.
  await browser.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  const page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(10_000);
  // What the Content-Security-Policy refused (an eval, an inline script or style) and uncaught errors: none allowed.
  const refused: string[] = [];
  page.on('pageerror', (error) => refused.push(error.message));
  await page.exposeFunction('reportRefusal', (what: string) => refused.push(what));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { reportRefusal(what: string): void }).reportRefusal(
        `${e.violatedDirective} ${e.blockedURI}`,
      );
    });
  });
  const shots: string[] = [];
  const rig: ConsoleRig = {
    base,
    admin,
    page,
    kms: new RemoteKms({ endpoint: base, token: admin, retries: 0 }),
    shots,
    async shoot(name) {
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 900 });
        // Works at this width: nothing widens the page past the viewport (wide tables scroll in their own box).
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
        const path = join(SHOTS, `${name}-${width}.png`);
        await page.screenshot({ path, fullPage: true });
        shots.push(path);
      }
      await page.setViewportSize({ width: 1280, height: 900 });
    },
    async go(route, title) {
      await page.goto(`${base}/console/#/${route}`);
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
    },
    async signIn(token) {
      await page.goto(`${base}/console/`);
      await page.getByLabel('API token').fill(token);
      await page.getByRole('button', { name: 'Sign in' }).click();
    },
    async signOut() {
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('API token').waitFor();
    },
    async close() {
      await browser.close();
      server.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 200));
      await rm(dir, { recursive: true, force: true, maxRetries: 5 }); // Chromium may still be writing its profile
      if (shots.length > 0) process.stdout.write(`console screenshots:\n${shots.map((s) => `  ${s}`).join('\n')}\n`);
      expect(refused, 'page errors and CSP refusals').toEqual([]);
    },
  };
  return rig;
}
