// openStore: the store a StoreOptions value selects (PostgreSQL through it: test/contract/local-postgres.test.ts).
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KmsError } from '@custos/contract';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appliedMigrations, openStore, sqliteFile, tableExists, type StoreOptions } from '../../src/store/index.js';

describe('openStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'custos-open-store-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('opens SQLite in <dataDir>/custos.db by default, migrated', async () => {
    const store = await openStore({ kind: 'sqlite' }, { dataDir: dir });
    try {
      expect(store.dialect).toBe('sqlite');
      expect(existsSync(join(dir, 'custos.db'))).toBe(true);
      expect((await appliedMigrations(store.db)).length).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  });

  it('opens SQLite at its path, unmigrated when asked', async () => {
    const path = join(dir, 'elsewhere', 'k.db');
    const store = await openStore({ kind: 'sqlite', path }, { dataDir: dir, migrate: false });
    try {
      expect(existsSync(path)).toBe(true);
      expect(existsSync(join(dir, 'custos.db'))).toBe(false);
      expect(await tableExists(store.db, 'audit_log')).toBe(false);
    } finally {
      await store.close();
    }
  });

  it('names the SQLite file of a selection, none for PostgreSQL', () => {
    expect(sqliteFile({ kind: 'sqlite' }, dir)).toBe(join(dir, 'custos.db'));
    expect(sqliteFile({ kind: 'sqlite', path: '/x.db' }, dir)).toBe('/x.db');
    expect(sqliteFile({ kind: 'postgres', url: 'postgres://db' }, dir)).toBeUndefined();
  });

  it('refuses an unknown kind with VALIDATION_ERROR', async () => {
    const error = await openStore({ kind: 'mysql' } as unknown as StoreOptions, { dataDir: dir }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KmsError);
    expect((error as KmsError).code).toBe('VALIDATION_ERROR');
  });
});
