// Shared set-up for service tests: a LocalKms on a temporary data directory and a settable clock (error assertions
// are in contract/test/helpers/expect-kms-error.ts).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalKms, type LocalKmsOptions } from '../../src/service/local-kms.js';

export interface TestKms {
  readonly kms: LocalKms;
  readonly dir: string;
  readonly clock: TestClock;
  /** Closes and reopens on the same directory; an option given as undefined removes the first open's value. */
  reopen(options?: { [K in keyof LocalKmsOptions]?: LocalKmsOptions[K] | undefined }): Promise<LocalKms>;
  cleanup(): Promise<void>;
}

export class TestClock {
  #now = Date.now();
  readonly now = (): Date => new Date(this.#now);
  advanceDays(days: number): void {
    this.#now += days * 24 * 60 * 60 * 1000;
  }
  advanceMs(ms: number): void {
    this.#now += ms;
  }
}

/** A LocalKms on a fresh temporary directory; background maintenance off (tests call runMaintenance). */
export async function openTestKms(options: Partial<LocalKmsOptions> = {}): Promise<TestKms> {
  const dir = await mkdtemp(join(tmpdir(), 'custos-test-'));
  const clock = new TestClock();
  const base: LocalKmsOptions = {
    dataDir: dir,
    now: clock.now,
    maintenanceIntervalMs: 0,
    config: { minPendingWindowDays: 1 },
    logger: { error: () => undefined },
    ...options,
  };
  let kms = await LocalKms.open(base);
  return {
    get kms() {
      return kms;
    },
    dir,
    clock,
    async reopen(more = {}) {
      await kms.close();
      // An undefined override reads as absent in LocalKms, which is what a test means by it.
      kms = await LocalKms.open({ ...base, ...more } as LocalKmsOptions);
      return kms;
    },
    async cleanup() {
      await kms.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
export const text = (b: Uint8Array): string => new TextDecoder().decode(b);

/** Polls `check` (which throws until satisfied) every 25 ms for up to `ms`; throws its last error after that. */
export async function eventually(check: () => Promise<unknown>, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}
