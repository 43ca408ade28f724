// A key joined with its latest version, in one read: a cold key's load on the hot path (getWithLatestVersion), and
// the key cache's preload, a page at a time in key-id order (pageWithLatestVersion). Part of the keys repository
// (keys.ts re-exports both). Must not import service or api; rows are mapped to records here and never returned.
import { sql, type CompiledQuery } from 'kysely';
import { directRead } from '../sqlite-direct.js';
import type { KeyRow, KeyVersionRow } from '../schema/index.js';
import type { Db } from '../store.js';
import type { KeyRecord, KeyVersionRecord } from '../types.js';
import * as keyVersions from './key-versions.js';
import { VERSION_COLUMNS } from './key-versions.js';
import { reader } from './keys.js';

/** A key and its latest version's record (undefined for a key without one: PendingImport). */
export interface KeyWithVersion {
  readonly key: KeyRecord;
  readonly version: KeyVersionRecord | undefined;
}

/**
 * The key and its latest version in ONE indexed read (a join on the primary keys): a cold key's load on the hot path.
 * `version` is undefined for a key without one (PendingImport).
 */
export async function getWithLatestVersion(db: Db, id: string): Promise<KeyWithVersion | undefined> {
  // Compiled once per database handle: building and compiling the query costs more than running it.
  let compiled = JOINED.get(db);
  if (!compiled) JOINED.set(db, (compiled = joinedQuery(db)));
  // SQLite outside a transaction: one prepared statement run at once, no promise (sqlite-direct.ts).
  let row = directRead(db, compiled.sql, [id]) as JoinedRow | undefined | null;
  if (row === null) row = (await db.executeQuery<JoinedRow>({ ...compiled, parameters: [id] })).rows[0];
  return row && fromJoined(db, row);
}

/** One page of pageWithLatestVersion: the rows that passed their MAC checks, those that did not, and where to go on. */
export interface KeyPage {
  readonly entries: KeyWithVersion[];
  /** Rows whose key or version failed its MAC check (or did not parse): never used, for the caller to log. */
  readonly failures: unknown[];
  /** The last key id of the page (the next page starts after it); undefined when the page was empty. */
  readonly last: string | undefined;
}

/** Up to `limit` keys after `afterId` (from the first with undefined) in key-id order, each with its latest version. */
export async function pageWithLatestVersion(db: Db, afterId: string | undefined, limit: number): Promise<KeyPage> {
  let query = joined(db);
  if (afterId !== undefined) query = query.where('keys.id', '>', afterId);
  const rows = (await query.orderBy('keys.id').limit(limit).execute()) as JoinedRow[];
  const entries: KeyWithVersion[] = [];
  const failures: unknown[] = [];
  for (const row of rows) {
    try {
      entries.push(fromJoined(db, row));
    } catch (error) {
      failures.push(error);
    }
  }
  return { entries, failures, last: rows[rows.length - 1]?.id };
}

type JoinedRow = KeyRow & Record<string, unknown>;
const VERSION_COLUMN_NAMES = Object.keys(VERSION_COLUMNS) as (keyof KeyVersionRow)[];
const VERSION_ALIASES = VERSION_COLUMN_NAMES.map((c) => [c, `v_${c}`] as const);
const JOINED = new WeakMap<Db, CompiledQuery>();

function fromJoined(db: Db, row: JoinedRow): KeyWithVersion {
  const key = reader(db)(row);
  if (row.v_key_id === null || row.v_key_id === undefined) return { key, version: undefined };
  const version = {} as Record<string, unknown>;
  for (const [column, alias] of VERSION_ALIASES) version[column] = row[alias];
  return { key, version: keyVersions.fromRow(db, version as unknown as KeyVersionRow) };
}

function joined(db: Db) {
  return db
    .selectFrom('keys')
    .leftJoin('key_versions', (join) =>
      join.onRef('key_versions.key_id', '=', 'keys.id').onRef('key_versions.version', '=', 'keys.latest_version'),
    )
    .selectAll('keys')
    .select(VERSION_COLUMN_NAMES.map((c) => sql.ref(`key_versions.${c}`).as(`v_${c}`)));
}

function joinedQuery(db: Db): CompiledQuery {
  // '?' is a placeholder value: each run passes its own parameters.
  return joined(db).where('keys.id', '=', '?').compile();
}
