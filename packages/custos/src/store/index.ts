// The store's public surface: open a store, the Store/Db types, the repositories and the domain records.
// Must not import service or api. Row types (schema/) never leave the store.
export { openSqliteStore } from './sqlite.js';
export { createStore, type Db, type Store } from './store.js';
export { dialectOf, isUniqueViolation, type StoreDialect } from './dialect.js';
export { appliedMigrations, migrateTo, migrateToLatest, MIGRATIONS, type Migration } from './migrations/index.js';
export type { Database } from './schema/index.js';
export * from './repositories/index.js';
export type * from './types.js';
