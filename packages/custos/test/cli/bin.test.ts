// The `custos` bin as npm links it: a file that exists before the build (npm links bins at install time, before
// `prepare` compiles dist/, so a bin under dist/ was never linked on a fresh install), running the built CLI.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('the custos bin', () => {
  it('is a committed, executable file outside dist/ that runs the built CLI', async () => {
    const pkg = JSON.parse(await readFile(join(PACKAGE_DIR, 'package.json'), 'utf8')) as {
      version: string;
      bin: Record<string, string>;
      files: string[];
    };
    const bin = pkg.bin.custos!;
    expect(bin.startsWith('dist/')).toBe(false);
    expect(pkg.files.some((entry) => bin.startsWith(`${entry}/`))).toBe(true); // published with the package
    expect((await stat(join(PACKAGE_DIR, bin))).mode & 0o111).not.toBe(0);
    const { stdout } = await run(join(PACKAGE_DIR, bin), ['--version']);
    expect(stdout.trim()).toBe(pkg.version);
  });

  it('says to build, in one line with exit 1, when dist/ is missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'custos-bin-'));
    dirs.push(dir);
    await mkdir(join(dir, 'bin'));
    await copyFile(join(PACKAGE_DIR, 'bin', 'custos.js'), join(dir, 'bin', 'custos.js'));
    const failed = await run(process.execPath, [join(dir, 'bin', 'custos.js'), '--version']).then(
      () => undefined,
      (error: unknown) => error as { code: number; stderr: string },
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toBe(
      'custos: not built yet: run `npm run build` (or `npm install`) in the Custos checkout\n',
    );
  });
});
