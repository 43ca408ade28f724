// The column types that differ between SQLite and PostgreSQL, used by migrations.
// Must not import service or api. Append-only: released migrations depend on these meanings.
import type { StoreDialect } from '../dialect.js';

export interface ColumnTypes {
  /** Milliseconds since the epoch and counters. */
  readonly int64: 'integer' | 'bigint';
  /** Booleans as 0/1. */
  readonly flag: 'integer' | 'smallint';
  readonly bytes: 'blob' | 'bytea';
  /** Primary key assigned by the database (SQLite needs exactly INTEGER for a rowid alias). */
  readonly serialType: 'integer' | 'bigint';
}

const TYPES: Record<StoreDialect, ColumnTypes> = {
  sqlite: { int64: 'integer', flag: 'integer', bytes: 'blob', serialType: 'integer' },
  postgres: { int64: 'bigint', flag: 'smallint', bytes: 'bytea', serialType: 'bigint' },
};

export function columnTypes(dialect: StoreDialect): ColumnTypes {
  return TYPES[dialect];
}
