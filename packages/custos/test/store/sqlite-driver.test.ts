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
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'custos-driver-'));
    // A process where neither better-sqlite3 build can be found, as after an install that skipped it.
    preload = join(dir, 'no-sqlite.cjs');
    await writeFile(
      preload,
      `const Module = require('node:module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'better-sqlite3' || request === 'better-sqlite3-13') {
    const error = new Error("Cannot find module '" + request + "'");
    error.code = 'MODULE_NOT_FOUND';
    throw error;
  }
  return resolve.call(this, request, ...rest);
};`,
    );
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('without it, the store still imports, and opening SQLite names the missing package and the fix', async () => {
    const script = `
      const store = await import(${JSON.stringify(STORE)});
      console.log('imported', typeof store.openPostgresStore);
      try {
        await store.openSqliteStore(${JSON.stringify(join(dir, 'custos.db'))});
        console.log('opened');
      } catch (error) {
        console.log('refused:', error.message);
      }`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--require', preload, '--input-type=module', '-e', script]);
    expect(stdout).toContain('imported function');
    const wanted = Number(process.versions.node.split('.')[0]) >= 22 ? 'better-sqlite3-13' : 'better-sqlite3';
    expect(stdout).toContain(`refused: the SQLite store needs the npm package ${wanted} on Node ${process.versions.node}, which is not installed`);
    expect(stdout).not.toContain('opened');
  });
});
