// Opaque paging cursors (base64url JSON) and the limit+1 fetch that tells whether a next page exists.
// Must not import service or api.
import { ValidationError } from '@custos/contract';
import type { Selectable } from 'kysely';
import type { AnyKysely } from '../dialect.js';
import type { Database } from '../schema/index.js';
import type { Db } from '../store.js';
import type { Page } from '../types.js';
import { num } from './convert.js';

export interface PageRequest {
  readonly limit: number;
  /** The `next` cursor of the previous page. */
  readonly after?: string | undefined;
}

function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor made by `encodeCursor`; `check` says whether the decoded value has the expected
 * shape. Anything else throws ValidationError INVALID_MARKER (AWS's InvalidMarkerException).
 */
export function decodeCursor<T>(cursor: string, check: (value: unknown) => value is T): T {
  let value: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (cause) {
    throw new ValidationError('the paging marker is not valid', 'INVALID_MARKER', { cause });
  }
  if (!check(value)) throw new ValidationError('the paging marker is not valid', 'INVALID_MARKER');
  return value;
}

/** Rejects a limit that is not a positive integer (the service validates ranges; this guards SQL). */
export function checkLimit(limit: number): number {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new ValidationError(`invalid page limit: ${limit}`);
  return limit;
}

/** Builds a page from rows fetched with `limit + 1`: the extra row only says a next page exists. */
export function toPage<R, T>(
  rows: readonly R[],
  limit: number,
  map: (row: R) => T,
  cursorOf: (row: R) => unknown,
): Page<T> {
  const pageRows = rows.slice(0, limit);
  const last = pageRows[pageRows.length - 1];
  return {
    items: pageRows.map(map),
    next: rows.length > limit && last !== undefined ? encodeCursor(cursorOf(last)) : null,
  };
}

/** Tables paged in creation order, with (created_at, id) as the cursor. */
type CreationOrdered = 'keys' | 'api_tokens' | 'access_keys' | 'custom_key_stores';
type CreationCursor = [number, string];
const isCreationCursor = (v: unknown): v is CreationCursor =>
  Array.isArray(v) && v.length === 2 && Number.isSafeInteger(v[0]) && typeof v[1] === 'string';

/**
 * One page of `table` ordered by (created_at, id), oldest first, of the rows whose columns hold `equals`; `after` is the previous page's `next`
 * (invalid → INVALID_MARKER). The query is built on an untyped handle because the table is a parameter;
 * the caller's `map` gets the table's row type back.
 */
export async function listByCreation<T extends CreationOrdered, R>(
  db: Db,
  table: T,
  request: PageRequest,
  map: (row: Selectable<Database[T]>) => R,
  equals: Readonly<Record<string, string>> = {},
): Promise<Page<R>> {
  const limit = checkLimit(request.limit);
  let query = (db as AnyKysely).selectFrom(table).selectAll();
  for (const [column, value] of Object.entries(equals)) query = query.where(column, '=', value);
  if (request.after !== undefined) {
    const [createdAt, id] = decodeCursor(request.after, isCreationCursor);
    query = query.where((eb) =>
      eb.or([eb('created_at', '>', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '>', id)])]),
    );
  }
  const rows = (await query
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit + 1)
    .execute()) as (Selectable<Database[T]> & { created_at: number | string; id: string })[];
  return toPage(rows, limit, map, (row): CreationCursor => [num(row.created_at), row.id]);
}
