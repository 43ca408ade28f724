// The client installs without native code (STYLE §1, DESIGN "Both install without native dependencies"): its only
// dependency is @custos/contract, and nothing reachable from it is a native addon such as better-sqlite3.
import { existsSync, readFileSync } from 'node:fs';
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

  it('its sources import nothing but @custos/contract and their own modules', () => {
    const src = join(ROOT, 'packages/client/src');
    const files = ['index.ts', 'remote-kms.ts', 'request.ts', 'response.ts', 'retry.ts'];
    for (const file of files) {
      const text = readFileSync(join(src, file), 'utf8');
      const imports = [...text.matchAll(/(?:from|import)\s+'([^']+)'/g)].map((m) => m[1]!);
      expect(
        imports.filter((s) => !s.startsWith('./') && s !== '@custos/contract'),
        file,
      ).toEqual([]);
    }
  });
});
