// Dependencies point down (STYLE §1): cli → (client | api) → service → core, keystore, store; the contract imports
// nothing but its schema library. A wrong import fails here.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
const CONTRACT_SRC = fileURLToPath(new URL('../../contract/src/', import.meta.url));

/** Layers each layer must not import (matched against resolved paths under src/). */
const FORBIDDEN: Record<string, readonly string[]> = {
  core: ['keystore', 'store', 'service', 'api'],
  keystore: ['store', 'service', 'api'],
  store: ['keystore', 'service', 'api'],
  service: ['api', 'cli'],
  // The API translates protocols to service calls; it may use core's SecretBytes (SigV4 secrets), never the store.
  api: ['store', 'keystore', 'cli'],
  // The CLI talks to a Kms over HTTP; `custos server` reaches the api through a dynamic import only.
  cli: ['store', 'keystore', 'service', 'core'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

function importsOf(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/(?:from|import)\s+'([^']+)'/g)].map((m) => m[1] ?? '');
}

/** The layer (first folder under src/) a relative import lands in. */
function layerOf(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const target = relative(SRC, join(file, '..', specifier));
  return target.startsWith('..') ? undefined : target.split('/')[0];
}

describe('layering', () => {
  const files = sourceFiles(SRC);

  it('finds the sources of every layer', () => {
    for (const layer of Object.keys(FORBIDDEN))
      expect(files.some((f) => relative(SRC, f).startsWith(`${layer}/`))).toBe(true);
  });

  it.each(files.map((f) => [relative(SRC, f), f]))('%s imports only layers below it', (name, file) => {
    const layer = name.split('/')[0]!;
    const forbidden = FORBIDDEN[layer] ?? [];
    const wrong = importsOf(file).filter((spec) => forbidden.includes(layerOf(file, spec) ?? ''));
    expect(wrong).toEqual([]);
  });

  it('core does no I/O: no fs, net, http or database imports', () => {
    const io = /^(node:)?(fs|fs\/promises|net|http|https|child_process)$|better-sqlite3|kysely|^pg$/;
    for (const file of files.filter((f) => relative(SRC, f).startsWith('core/'))) {
      expect(
        importsOf(file).filter((s) => io.test(s)),
        relative(SRC, file),
      ).toEqual([]);
    }
  });

  it('the contract imports nothing but its schema library and itself', () => {
    for (const file of sourceFiles(CONTRACT_SRC)) {
      const external = importsOf(file).filter((s) => !s.startsWith('.') && !s.startsWith('@sinclair/typebox'));
      expect(external, relative(CONTRACT_SRC, file)).toEqual([]);
    }
  });
});
