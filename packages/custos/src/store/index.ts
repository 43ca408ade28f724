// The store's public surface: open a store, the Store/Db types, the repositories and the domain records.
// Must not import service or api. Row types (schema/) never leave the store.
export { openPostgresStore, type PostgresStoreOptions } from './postgres.js';
export { openSqliteStore, type SqliteStoreOptions } from './sqlite.js';
export { openStore, sqliteFile, type StoreOptions } from './options.js';
export { openSqliteAuditAppender, type AuditAppender } from './sqlite-audit-appender.js';
export { createStore, type Db, type Store, type StoreCluster } from './store.js';
export {
  dialectOf,
  isUnavailable,
  isUniqueViolation,
  lockInTransaction,
  tableExists,
  type StoreDialect,
} from './dialect.js';
export {
  appliedMigrations,
  migrateTo,
  migrateToLatest,
  MIGRATIONS,
  withMigrationLock,
  type Migration,
} from './migrations/index.js';
export type { Database } from './schema/index.js';
export * from './repositories/index.js';
export type * from './types.js';
