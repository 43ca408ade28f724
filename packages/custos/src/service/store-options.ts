// LocalKmsOptions → the store to open: `store` as given, or the older database* fields mapped in this one place.
// Must not import api.
/* eslint-disable @typescript-eslint/no-deprecated -- this file is where the deprecated database* fields are read */
import { ValidationError } from '@custos/contract';
import type { StoreOptions } from '../store/index.js';
import type { LocalKmsOptions } from './local-kms.js';

/** The LocalKmsOptions fields that predate `store`, which they still select when `store` is absent. */
const LEGACY_FIELDS = [
  'databaseUrl',
  'databaseSchema',
  'databasePoolSize',
  'databaseConnectionTimeoutMs',
  'databaseStatementTimeoutMs',
] as const satisfies readonly (keyof LocalKmsOptions)[];

/**
 * The store LocalKms opens: `options.store`, else PostgreSQL when `databaseUrl` is set (the other database*
 * fields apply only with it, as before), else SQLite in the data directory. Both forms at once are refused.
 */
export function storeOptions(options: LocalKmsOptions): StoreOptions {
  if (options.store !== undefined) {
    const legacy = LEGACY_FIELDS.filter((field) => options[field] !== undefined);
    if (legacy.length > 0) throw new ValidationError(`store and ${legacy.join(', ')} cannot be combined: use store`);
    return options.store;
  }
  if (options.databaseUrl === undefined) return { kind: 'sqlite' };
  return {
    kind: 'postgres',
    url: options.databaseUrl,
    ...(options.databaseSchema !== undefined ? { schema: options.databaseSchema } : {}),
    ...(options.databasePoolSize !== undefined ? { poolSize: options.databasePoolSize } : {}),
    ...(options.databaseConnectionTimeoutMs !== undefined
      ? { connectionTimeoutMs: options.databaseConnectionTimeoutMs }
      : {}),
    ...(options.databaseStatementTimeoutMs !== undefined
      ? { statementTimeoutMs: options.databaseStatementTimeoutMs }
      : {}),
  };
}
