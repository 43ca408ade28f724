// What `npm pack` puts in the published custos package: the bin and the compiled product, never the benchmark
// (bench/ builds to bench/dist/, outside the package's dist/ and "files").
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));

describe('the published custos package', () => {
  it('holds the bin, the compiled CLI and the built console, and no benchmark file', async () => {
    const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: PACKAGE,
    });
    const [pack] = JSON.parse(stdout) as { files: { path: string }[] }[];
    const paths = (pack?.files ?? []).map((f) => f.path);
    expect(paths).toContain('bin/custos.js');
    expect(paths).toContain('dist/cli/main.js');
    // The web console, built by the root build (packages/console) and served at /console.
    expect(paths).toContain('console-dist/index.html');
    expect(paths.some((p) => /^console-dist\/assets\/index-[\w-]+\.js$/.test(p))).toBe(true);
    // A dist/bench/ left by a build from before the move shows up here: delete it (rm -rf packages/custos/dist/bench).
    expect(paths.filter((p) => /bench/i.test(p))).toEqual([]);
  });
});
