// The store's public surface: open a store, the Store/Db types, the repositories and the domain records.
// Must not import service or api. Row types (schema/) never leave the store.
export { openPostgresStore, type PostgresStoreOptions } from './postgres.js';
export { openSqliteStore } from './sqlite.js';
export { openStore, sqliteFile, type StoreOptions } from './options.js';
export { openSqliteAuditAppender, type CountReservation, type UsageIncrement } from './sqlite-audit-appender.js';
export { acquireDataDirLock, type DataDirLock } from './data-dir-lock.js';
export { isKeyChangeMessage } from './sqlite-cluster.js';
export { CREDENTIALS_CHANGED, type Db, type Store } from './store.js';
export { RowIntegrityError } from './integrity.js';
export { isUnavailable, isUniqueViolation, lockInTransaction, tableExists } from './dialect.js';
export { appliedMigrations, migrateTo, migrateToLatest, MIGRATIONS } from './migrations/index.js';
export type { Database } from './schema/index.js';
export * from './repositories/index.js';
export type * from './types.js';
