// The SQLite driver is loaded on first use: a process without it (better-sqlite3 12 is optional on Node 20) can
// still import the store, and opening a SQLite store says which package is missing and how to get it.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const STORE = fileURLToPath(new URL('../../dist/store/index.js', import.meta.url));

describe('SQLite driver', () => {
  let dir: string;
  let preload: string;
  let brokenPreload: string;
  const wanted = Number(process.versions.node.split('.')[0]) >= 22 ? 'better-sqlite3-13' : 'better-sqlite3';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'custos-driver-'));
    // A process where neither better-sqlite3 build can be found, as after an install that skipped it.
    const redirect = (body: string) => `const Module = require('node:module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'better-sqlite3' || request === 'better-sqlite3-13') {
    ${body}
  }
  return resolve.call(this, request, ...rest);
};`;
    preload = join(dir, 'no-sqlite.cjs');
    await writeFile(
      preload,
      redirect(`const error = new Error("Cannot find module '" + request + "'");
    error.code = 'MODULE_NOT_FOUND';
    throw error;`),
    );
    // One where the driver is found but its native build will not load (made for another Node.js).
    const broken = join(dir, 'broken-driver.cjs');
    await writeFile(
      broken,
      `const error = new Error('compiled against a different Node.js version'); error.code = 'ERR_DLOPEN_FAILED'; throw error;`,
    );
    brokenPreload = join(dir, 'broken-sqlite.cjs');
    await writeFile(brokenPreload, redirect(`return ${JSON.stringify(broken)};`));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  /** Imports the store and opens a SQLite store in a child process with `preloaded`; what it printed. */
  async function openWith(preloaded: string): Promise<string> {
    const script = `
      const store = await import(${JSON.stringify(STORE)});
      console.log('imported', typeof store.openPostgresStore);
      try {
        await store.openSqliteStore(${JSON.stringify(join(dir, 'custos.db'))});
        console.log('opened');
      } catch (error) {
        console.log('refused:', error.message);
      }`;
    const { stdout } = await promisify(execFile)(process.execPath, [
      '--require',
      preloaded,
      '--input-type=module',
      '-e',
      script,
    ]);
    return stdout;
  }

  it('without it, the store still imports, and opening SQLite names the missing package and the fix', async () => {
    const stdout = await openWith(preload);
    expect(stdout).toContain('imported function');
    expect(stdout).toContain(
      `refused: the SQLite store needs the npm package ${wanted} on Node ${process.versions.node}, which is not installed`,
    );
    expect(stdout).not.toContain('opened');
  });

  it('with a build that will not load, opening SQLite gives the reason the loader gave, not "not installed"', async () => {
    const stdout = await openWith(brokenPreload);
    expect(stdout).toContain(
      `refused: the SQLite store cannot load the npm package ${wanted} on Node ${process.versions.node}: compiled against a different Node.js version (`,
    );
    expect(stdout).not.toContain('not installed');
    expect(stdout).not.toContain('opened');
  });
});
