// Guards the store's boundaries: no store module imports service or api, and each opens with the two-line header.
// Must not import service or api.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const STORE_DIR = fileURLToPath(new URL('../../src/store/', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

describe('store layering', () => {
  const files = sourceFiles(STORE_DIR);

  it('finds the store sources', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(files.map((f) => [f.slice(STORE_DIR.length), f]))('%s imports neither service nor api', (_name, file) => {
    const imports = [...readFileSync(file, 'utf8').matchAll(/from\s+'([^']+)'/g)].map((m) => m[1] ?? '');
    expect(imports.filter((i) => /(^|\/)(service|api)(\/|$)/.test(i))).toEqual([]);
  });

  it.each(files.map((f) => [f.slice(STORE_DIR.length), f]))('%s opens with a two-line header comment', (_name, file) => {
    const [first, second] = readFileSync(file, 'utf8').split('\n');
    expect(first).toMatch(/^\/\/ /);
    expect(second).toMatch(/^\/\/ /);
  });
});
