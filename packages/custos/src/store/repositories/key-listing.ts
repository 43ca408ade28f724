// The keys list of ListKeys: filters (keyring, states, specs, usages, tag, alias prefix or key id), a sort an index
// serves ((created_at, id) or id, either way) and keyset paging whose cursor holds the sort key, the id and a
// fingerprint of the sort and filters. Migration 018 adds the indexes. Must not import service or api.
import { createHash } from 'node:crypto';
import { ValidationError } from '@custos/contract';
import { sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely';
import type { Database, KeyRow } from '../schema/index.js';
import type { Db } from '../store.js';
import type { KeyRecord, KeyVersionRecord, Page } from '../types.js';
import { reader } from './keys.js';
import * as aliasRows from './aliases.js';
import * as keyVersions from './key-versions.js';
import { checkLimit, decodeCursor, toPage } from './page.js';
import { num } from './convert.js';

/** Which keys, in which order. Lists are ORed within a field, fields ANDed. */
export interface KeyListing {
  readonly limit: number;
  /** The previous page's `next`; one made for another sort or filters → INVALID_MARKER. */
  readonly after?: string | undefined;
  readonly applicationId?: string | undefined;
  readonly referenceId?: string | undefined;
  readonly states?: readonly string[] | undefined;
  readonly specs?: readonly string[] | undefined;
  readonly usages?: readonly string[] | undefined;
  readonly tagKey?: string | undefined;
  readonly tagValue?: string | undefined;
  /** Keys with an alias starting with `aliasPrefix`, or (with `keyId`) the key of that id. */
  readonly aliasPrefix?: string | undefined;
  readonly keyId?: string | undefined;
  readonly sortBy: 'created' | 'keyId';
  readonly descending: boolean;
}

/** Cursor: [created_at (null when sorted by id), id, fingerprint of the sort and filters]. */
type Cursor = [number | null, string, string];
const isCursor = (v: unknown): v is Cursor =>
  Array.isArray(v) &&
  v.length === 3 &&
  (v[0] === null || Number.isSafeInteger(v[0])) &&
  typeof v[1] === 'string' &&
  typeof v[2] === 'string';

/** A short hash of everything but the limit and cursor: a marker only continues the listing it came from. */
function fingerprint(listing: KeyListing): string {
  const { limit: _limit, after: _after, ...rest } = listing;
  const canonical = JSON.stringify(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b)));
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 16);
}

type KeysQuery = SelectQueryBuilder<Database, 'keys', KeyRow>;

/**
 * One page of keys. When one of states/specs/usages lists several values, the page is read as one query per value
 * of that list (each `field = value`, so an index on (field, sort key) serves it in order, without a sort step) and
 * the results merged; other lists are checked on the rows the index yields.
 */
export async function listKeys(db: Db, listing: KeyListing): Promise<Page<KeyRecord>> {
  const limit = checkLimit(listing.limit);
  const print = fingerprint(listing);
  let cursor: Cursor | undefined;
  if (listing.after !== undefined) {
    cursor = decodeCursor(listing.after, isCursor);
    if (cursor[2] !== print || (cursor[0] === null) !== (listing.sortBy === 'keyId'))
      throw new ValidationError('the marker was made for another sort order or other filters', 'INVALID_MARKER');
  }
  const pages = await Promise.all(listingQueries(db, listing, cursor).map((q) => q.execute()));
  const rows = pages.length === 1 ? (pages[0] ?? []) : merge(pages.flat(), listing).slice(0, limit + 1);
  return toPage(rows, limit, reader(db), (row): Cursor => [
    listing.sortBy === 'created' ? num(row.created_at) : null,
    row.id,
    print,
  ]);
}

/** The queries one page runs (exported for the plan test), each ordered and limited to `limit + 1` rows. */
export function listingQueries(db: Db, listing: KeyListing, cursor?: Cursor): KeysQuery[] {
  const split = splitField(listing);
  const base = filtered(db, listing, cursor, split?.field);
  const queries = split ? split.values.map((value) => base.where(split.field, '=', value)) : [base];
  return queries.map((q) => ordered(q, listing).limit(listing.limit + 1));
}

type SplitField = 'state' | 'spec' | 'usage';

/** The first list with several values: the one queried value by value. */
function splitField(listing: KeyListing): { field: SplitField; values: readonly string[] } | undefined {
  const lists: [SplitField, readonly string[] | undefined][] = [
    ['state', listing.states],
    ['spec', listing.specs],
    ['usage', listing.usages],
  ];
  for (const [field, values] of lists) if (values && values.length > 1) return { field, values: [...new Set(values)] };
  return undefined;
}

function filtered(db: Db, listing: KeyListing, cursor: Cursor | undefined, skip: SplitField | undefined): KeysQuery {
  let query = db.selectFrom('keys').selectAll();
  if (listing.applicationId !== undefined) query = query.where('application_id', '=', listing.applicationId);
  if (listing.referenceId !== undefined) query = query.where('reference_id', '=', listing.referenceId);
  const lists: [SplitField, readonly string[] | undefined][] = [
    ['state', listing.states],
    ['spec', listing.specs],
    ['usage', listing.usages],
  ];
  for (const [field, values] of lists) {
    if (values === undefined || field === skip) continue;
    query = values.length === 1 ? query.where(field, '=', values[0] ?? '') : query.where(field, 'in', values);
  }
  if (listing.tagKey !== undefined) query = query.where((eb) => tagged(eb, listing.tagKey ?? '', listing.tagValue));
  if (listing.aliasPrefix !== undefined) {
    const prefix = listing.aliasPrefix;
    query = query.where((eb) => {
      const alias = eb.exists(
        eb
          .selectFrom('aliases')
          .select(sql.lit(1).as('one'))
          .whereRef('aliases.key_id', '=', 'keys.id')
          .where(sql`substr(aliases.name, 1, ${prefix.length})`, '=', prefix),
      );
      return listing.keyId === undefined ? alias : eb.or([eb('keys.id', '=', listing.keyId), alias]);
    });
  }
  if (cursor) query = afterCursor(query, cursor, listing.descending);
  return query;
}

/** A correlated EXISTS on key_tags' primary key (key_id, tag_key): the sort index drives, each row is one lookup. */
function tagged(eb: ExpressionBuilder<Database, 'keys'>, tagKey: string, tagValue: string | undefined) {
  let tags = eb
    .selectFrom('key_tags')
    .select(sql.lit(1).as('one'))
    .whereRef('key_tags.key_id', '=', 'keys.id')
    .where('key_tags.tag_key', '=', tagKey);
  if (tagValue !== undefined) tags = tags.where('key_tags.tag_value', '=', tagValue);
  return eb.exists(tags);
}

/** Rows after the cursor in the listing's order: a range on the sort key's leading column, then the tie-break. */
function afterCursor(query: KeysQuery, [createdAt, id]: Cursor, descending: boolean): KeysQuery {
  const past = descending ? '<' : '>';
  if (createdAt === null) return query.where('keys.id', past, id);
  return query
    .where('keys.created_at', descending ? '<=' : '>=', createdAt)
    .where((eb) => eb.or([eb('keys.created_at', past, createdAt), eb('keys.id', past, id)]));
}

function ordered(query: KeysQuery, listing: KeyListing): KeysQuery {
  const direction = listing.descending ? 'desc' : 'asc';
  const byId = query.orderBy('keys.id', direction);
  return listing.sortBy === 'created'
    ? query.orderBy('keys.created_at', direction).orderBy('keys.id', direction)
    : byId;
}

/** The rows of several single-value queries in the listing's order. */
function merge(rows: KeyRow[], listing: KeyListing): KeyRow[] {
  const sign = listing.descending ? -1 : 1;
  return rows.sort((a, b) => {
    if (listing.sortBy === 'created') {
      const byTime = num(a.created_at) - num(b.created_at);
      if (byTime !== 0) return sign * byTime;
    }
    return sign * (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  });
}

/**
 * The aliases (sorted names) and the latest version of each key, for ListKeys' includeMetadata: two indexed reads
 * for the whole page, every row's MAC checked.
 */
export async function listingDetails(
  db: Db,
  keys: readonly KeyRecord[],
): Promise<{ aliases: Map<string, string[]>; latest: Map<string, KeyVersionRecord> }> {
  const names = new Map<string, string[]>();
  const latest = new Map<string, KeyVersionRecord>();
  if (keys.length === 0) return { aliases: names, latest };
  const ids = keys.map((k) => k.id);
  for (const alias of await aliasRows.listByKeys(db, ids)) {
    const list = names.get(alias.keyId) ?? [];
    list.push(alias.name);
    names.set(alias.keyId, list);
  }
  const withVersion = keys.filter((k) => k.latestVersion > 0);
  if (withVersion.length > 0) {
    const rows = await db
      .selectFrom('key_versions')
      .selectAll()
      .where((eb) =>
        eb.or(withVersion.map((k) => eb.and([eb('key_id', '=', k.id), eb('version', '=', k.latestVersion)]))),
      )
      .execute();
    for (const row of rows) latest.set(row.key_id, keyVersions.fromRow(db, row));
  }
  return { aliases: names, latest };
}
