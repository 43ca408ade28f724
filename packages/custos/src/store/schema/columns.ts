// Column types shared by the table interfaces: how times, counters, flags and bytes look on each dialect.
// Must not import service or api; only the store's repositories see these types.
import type { ColumnType } from 'kysely';

/**
 * A 64-bit integer: milliseconds since the epoch, or a counter. INTEGER on SQLite, BIGINT on
 * PostgreSQL, where node-postgres returns int8 as a string unless a type parser is set; the
 * mappers therefore read it with `Number()` and the select type says so.
 */
export type Int64 = ColumnType<number | string, number, number>;

/** A boolean stored as 0/1: INTEGER on SQLite, SMALLINT on PostgreSQL (one encoding for both). */
export type Flag = ColumnType<number, number, number>;

/** Bytes: BLOB on SQLite, BYTEA on PostgreSQL. Both drivers return a Buffer and accept a Uint8Array. */
export type Bytes = ColumnType<Uint8Array, Uint8Array, Uint8Array>;
