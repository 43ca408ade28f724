// LocalKmsOptions → StoreOptions: `store` as given, the older database* fields mapped in one place, never both.
/* eslint-disable @typescript-eslint/no-deprecated -- the deprecated database* fields are what these tests cover */
import { describe, expect, it } from 'vitest';
import { storeOptions } from '../../src/service/store-options.js';
import { LocalKms } from '../../src/index.js';
import { expectKmsError } from '../../../contract/test/helpers/expect-kms-error.js';

describe('storeOptions', () => {
  it('passes store through as it is', () => {
    const store = { kind: 'postgres', url: 'postgres://db/custos', schema: 's', poolSize: 3 } as const;
    expect(storeOptions({ dataDir: 'd', store })).toBe(store);
    expect(storeOptions({ dataDir: 'd', store: { kind: 'sqlite', path: 'x.db' } })).toEqual({
      kind: 'sqlite',
      path: 'x.db',
    });
  });

  it('maps the database* fields onto the PostgreSQL store, as before', () => {
    expect(
      storeOptions({
        dataDir: 'd',
        databaseUrl: 'postgres://db/custos',
        databaseSchema: 's',
        databasePoolSize: 4,
        databaseConnectionTimeoutMs: 1500,
        databaseStatementTimeoutMs: 30000,
      }),
    ).toEqual({
      kind: 'postgres',
      url: 'postgres://db/custos',
      schema: 's',
      poolSize: 4,
      connectionTimeoutMs: 1500,
      statementTimeoutMs: 30000,
    });
  });

  it('selects SQLite without databaseUrl (the other database* fields apply only with it, as before)', () => {
    expect(storeOptions({ dataDir: 'd' })).toEqual({ kind: 'sqlite' });
    expect(storeOptions({ dataDir: 'd', databaseSchema: 's' })).toEqual({ kind: 'sqlite' });
  });

  it('refuses store together with a database* field: VALIDATION_ERROR before anything is opened', async () => {
    expect(() =>
      storeOptions({ dataDir: 'd', store: { kind: 'sqlite' }, databaseUrl: 'postgres://db/custos' }),
    ).toThrow(/store and databaseUrl cannot be combined/);
    await expectKmsError(
      LocalKms.open({ dataDir: '/nonexistent/never-created', store: { kind: 'sqlite' }, databasePoolSize: 2 }),
      'VALIDATION_ERROR',
    );
  });
});
