// The Java JCE harness of MOSIP's hybrid format (test/fixtures/mosip/MosipHarness.java), compiled once per test file
// with javac into a temp dir. Without javac the tests skip with a warning, and fail under CI=true (CI has java 17).
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

const SOURCE = fileURLToPath(new URL('../fixtures/mosip/MosipHarness.java', import.meta.url));
export const GOLDEN_KEY_PATH = fileURLToPath(new URL('../fixtures/mosip/golden-key.pem', import.meta.url));
export const GOLDEN_CERT_PATH = fileURLToPath(new URL('../fixtures/mosip/golden-cert.pem', import.meta.url));

const hasJavac = (): boolean => spawnSync('javac', ['-version'], { stdio: 'ignore' }).status === 0;

/** `describe`, or `describe.skip` with a warning when javac is missing; an error under CI=true. */
export function describeJce(what: string): typeof describe | typeof describe.skip {
  if (hasJavac()) return describe;
  if (process.env.CI === 'true') throw new Error(`javac is not installed and CI=true: cannot run ${what}`);
  console.warn(`javac is not installed (JDK 17): skipping ${what}`);
  return describe.skip;
}

/** Options of one harness call: base64 aad and salt, and the release-1.2.0 form without thumbprint. */
interface JceOptions {
  readonly aad?: string | undefined;
  readonly salt?: string | undefined;
  readonly noThumbprint?: boolean;
}

/** A compiled harness: encrypt for a certificate file, decrypt with a PKCS#8 key file. */
export interface JceHarness {
  encrypt(certPath: string, dataB64: string, options?: JceOptions): Promise<string>;
  /** The plaintext in standard base64; rejects (exit 2) when decryption fails. */
  decrypt(keyPath: string, certPath: string, ciphertext: string, options?: JceOptions): Promise<string>;
  /** Writes a PEM to a file of the harness's temp dir (for certificates and keys made by a test). */
  file(name: string, pem: string): string;
  close(): void;
}

/** Compiles the harness (call in beforeAll, inside describeJce). */
export function compileJce(): JceHarness {
  const dir = mkdtempSync(join(tmpdir(), 'custos-mosip-jce-'));
  const built = spawnSync('javac', ['-d', dir, SOURCE], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`javac failed: ${built.stderr}`);
  const run = (args: string[]): Promise<string> =>
    new Promise((resolve, reject) => {
      execFile('java', ['-cp', dir, 'MosipHarness', ...args], { encoding: 'utf8' }, (error, stdout, stderr) => {
        if (error) reject(new Error(`java harness: ${stderr}`, { cause: error }));
        else resolve(stdout);
      });
    });
  const extra = (o: JceOptions = {}): string[] => [
    ...(o.aad ? [`aad=${o.aad}`] : []),
    ...(o.salt ? [`salt=${o.salt}`] : []),
    ...(o.noThumbprint ? ['nothumbprint'] : []),
  ];
  return {
    encrypt: (cert, data, o) => run(['encrypt', cert, data, ...extra(o)]),
    decrypt: (key, cert, text, o) => run(['decrypt', key, cert, text, ...extra(o)]),
    file: (name, pem) => {
      const path = join(dir, name);
      writeFileSync(path, pem);
      return path;
    },
    close: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
