// The client installs without native code (STYLE §1, DESIGN "Both install without native dependencies"): its only
// dependency is @custos/contract, and nothing reachable from it is a native addon such as better-sqlite3. The main
// entry is fetch-only (browsers can load it); only the '@custos/client/stream' subpath uses node:crypto.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface PackageJson {
  name?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  gypfile?: boolean;
  scripts?: Record<string, string>;
}

interface LockEntry {
  name?: string;
  resolved?: string;
  link?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  hasInstallScript?: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- a typed view of a file the test reads
const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
const lock = readJson<{ packages: Record<string, LockEntry> }>(join(ROOT, 'package-lock.json')).packages;

/** Where npm resolves `name` from the package at lockfile path `from`: its own node_modules, then each parent's. */
function resolve(from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
    if (lock[candidate]) return candidate;
    if (!dir) return undefined;
    const cut = dir.lastIndexOf('/node_modules/');
    dir = cut >= 0 ? dir.slice(0, cut) : '';
  }
}

/** Every package (lockfile path) reachable from `start` through runtime dependencies, workspace links followed. */
function reachable(start: string): Map<string, string> {
  const seen = new Map<string, string>(); // lockfile path -> package name
  const queue: [string, string][] = [[start, '@custos/client']];
  while (queue.length > 0) {
    const [path, name] = queue.shift()!;
    if (seen.has(path)) continue;
    seen.set(path, name);
    let entry = lock[path];
    if (entry?.link && entry.resolved) {
      if (path !== entry.resolved) queue.push([entry.resolved, name]);
      continue;
    }
    entry ??= {};
    const deps = { ...entry.dependencies, ...entry.optionalDependencies, ...entry.peerDependencies };
    for (const dep of Object.keys(deps)) {
      const target = resolve(path, dep);
      expect(target, `${dep} (needed by ${name}) is in package-lock.json`).toBeDefined();
      if (target) queue.push([target, dep]);
    }
  }
  return seen;
}

describe('@custos/client dependencies', () => {
  const manifest = readJson<PackageJson>(join(ROOT, 'packages/client/package.json'));

  it('declares @custos/contract as its only dependency, and no peer or optional ones', () => {
    expect(Object.keys(manifest.dependencies ?? {})).toEqual(['@custos/contract']);
    expect(manifest.peerDependencies ?? {}).toEqual({});
    expect(manifest.optionalDependencies ?? {}).toEqual({});
    expect(manifest.gypfile).toBeUndefined();
  });

  it('reaches no native addon: no better-sqlite3, no install script, no binding.gyp', () => {
    const packages = reachable('packages/client');
    const names = [...packages.values()];
    expect(names).toContain('@custos/contract');
    expect(names).toContain('@sinclair/typebox');
    expect(names).not.toContain('better-sqlite3');
    expect(names).not.toContain('custos');
    for (const [path, name] of packages) {
      expect(lock[path]?.hasInstallScript, `${name} has an install script`).toBeFalsy();
      const dir = join(ROOT, path);
      expect(existsSync(join(dir, 'binding.gyp')), `${name} has a binding.gyp`).toBe(false);
      if (existsSync(join(dir, 'package.json'))) {
        const pkg = readJson<PackageJson>(join(dir, 'package.json'));
        expect(pkg.gypfile, `${name} is a gyp package`).toBeUndefined();
        expect(
          Object.keys(pkg.scripts ?? {}).filter((s) => ['preinstall', 'install', 'postinstall'].includes(s)),
          name,
        ).toEqual([]);
      }
    }
  });

  const src = join(ROOT, 'packages/client/src');
  const importsOf = (file: string): string[] =>
    [...readFileSync(join(src, file), 'utf8').matchAll(/(?:from|import)\s+'([^']+)'/g)].map((m) => m[1] ?? '');
  /** The subpath modules that may use Node built-ins: '@custos/client/stream' uses node:crypto. */
  const NODE_MODULES: Readonly<Record<string, readonly string[]>> = { 'stream.ts': ['node:crypto'] };

  it('its sources import nothing but @custos/contract, their own modules and, in ./stream, node:crypto', () => {
    const files = readdirSync(src).filter((f) => f.endsWith('.ts'));
    expect(files).toContain('stream.ts');
    for (const file of files) {
      const allowed = ['@custos/contract', ...(NODE_MODULES[file] ?? [])];
      expect(
        importsOf(file).filter((s) => !s.startsWith('./') && !allowed.includes(s)),
        file,
      ).toEqual([]);
    }
  });

  it('the main entry is fetch-only: nothing it imports, however indirectly, is a Node built-in or ./stream', () => {
    const seen = new Set<string>();
    const queue = ['index.ts'];
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      if (seen.has(file)) continue;
      seen.add(file);
      const imports = importsOf(file);
      expect(
        imports.filter((s) => s.startsWith('node:')),
        file,
      ).toEqual([]);
      queue.push(...imports.filter((s) => s.startsWith('./')).map((s) => s.slice(2).replace(/\.js$/, '.ts')));
    }
    expect(seen).toContain('remote-kms.ts');
    expect(seen).not.toContain('stream.ts');
  });

  it('exports ./stream as its own subpath, beside the main entry', () => {
    const exports = readJson<{ exports: Record<string, unknown> }>(join(ROOT, 'packages/client/package.json')).exports;
    expect(Object.keys(exports)).toEqual(['.', './stream']);
    expect(exports['./stream']).toEqual({ types: './dist/stream.d.ts', default: './dist/stream.js' });
  });
});
