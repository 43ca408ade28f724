// Opaque paging cursors (base64url JSON) and the limit+1 fetch that tells whether a next page exists.
// Must not import service or api.
import { ValidationError } from '@custos/contract';
import type { Page } from '../types.js';

export interface PageRequest {
  readonly limit: number;
  /** The `next` cursor of the previous page. */
  readonly after?: string | undefined;
}

export function encodeCursor(value: unknown): string {
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
export function toPage<R, T>(rows: readonly R[], limit: number, map: (row: R) => T, cursorOf: (row: R) => unknown): Page<T> {
  const pageRows = rows.slice(0, limit);
  const last = pageRows[pageRows.length - 1];
  return {
    items: pageRows.map(map),
    next: rows.length > limit && last !== undefined ? encodeCursor(cursorOf(last)) : null,
  };
}
