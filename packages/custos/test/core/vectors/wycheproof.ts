// Loads Project Wycheproof vector files from ../shared/vectors/wycheproof and counts outcomes.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const WYCHEPROOF_DIR = fileURLToPath(new URL('../../../../../../shared/vectors/wycheproof/', import.meta.url));

export interface WycheproofTest {
  readonly tcId: number;
  readonly comment: string;
  readonly flags: readonly string[];
  readonly result: 'valid' | 'invalid' | 'acceptable';
  readonly [field: string]: unknown;
}

export interface WycheproofGroup<T extends WycheproofTest = WycheproofTest> {
  readonly type: string;
  readonly tests: readonly T[];
  readonly [field: string]: unknown;
}

export interface WycheproofFile<T extends WycheproofTest = WycheproofTest> {
  readonly algorithm: string;
  readonly numberOfTests: number;
  readonly testGroups: readonly WycheproofGroup<T>[];
}

export function loadWycheproof<T extends WycheproofTest = WycheproofTest>(name: string): WycheproofFile<T> {
  return JSON.parse(readFileSync(WYCHEPROOF_DIR + name, 'utf8')) as WycheproofFile<T>;
}

export const hex = (s: unknown): Uint8Array => new Uint8Array(Buffer.from(typeof s === 'string' ? s : '', 'hex'));

/** Tallies what a runner accepted and rejected, to assert on and to report. */
export class VectorTally {
  validAccepted = 0;
  validRejected: number[] = [];
  invalidRejected = 0;
  invalidAccepted: number[] = [];
  acceptable = 0;

  record(test: WycheproofTest, accepted: boolean): void {
    if (test.result === 'valid') {
      if (accepted) this.validAccepted++;
      else this.validRejected.push(test.tcId);
    } else if (test.result === 'invalid') {
      if (accepted) this.invalidAccepted.push(test.tcId);
      else this.invalidRejected++;
    } else this.acceptable++;
  }

  report(file: string): string {
    return `${file}: ${this.validAccepted} valid accepted, ${this.invalidRejected} invalid rejected, ${this.acceptable} acceptable, failures: valid rejected [${this.validRejected.join(',')}], invalid accepted [${this.invalidAccepted.join(',')}]`;
  }
}
