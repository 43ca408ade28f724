// Repository for aliases (AliasRecord): names are unique; a duplicate insert is ALREADY_EXISTS.
// Must not import service or api; rows are mapped to records here and never returned.
import { ConflictError } from '@custos/contract';
import type { AliasRow } from '../schema/index.js';
import type { Db } from '../store.js';
import { isUniqueViolation } from '../dialect.js';
import type { AliasRecord, Page } from '../types.js';
import { checkRow, updateRow, withMac } from './authenticated.js';
import { ms, toDate } from './convert.js';
import { checkLimit, decodeCursor, toPage, type PageRequest } from './page.js';

/** The mapper: one row → one AliasRecord. */
/** The mapper for rows read through `db`: the row's MAC checked, then one row → one AliasRecord. */
const reader =
  (db: Db) =>
  (row: AliasRow): AliasRecord =>
    toRecord(checkRow(db, 'aliases', row.name, row));

function toRecord(row: AliasRow): AliasRecord {
  return { name: row.name, keyId: row.key_id, createdAt: toDate(row.created_at), updatedAt: toDate(row.updated_at) };
}

/** Inserts the alias; throws ConflictError (ALREADY_EXISTS) if the name is taken. */
export async function insert(db: Db, record: AliasRecord): Promise<void> {
  try {
    await db
      .insertInto('aliases')
      .values(
        withMac(db, 'aliases', {
          name: record.name,
          key_id: record.keyId,
          created_at: ms(record.createdAt),
          updated_at: ms(record.updatedAt),
        }),
      )
      .execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError(`alias ${record.name} already exists`);
    throw err;
  }
}

export async function get(db: Db, name: string): Promise<AliasRecord | undefined> {
  const row = await db.selectFrom('aliases').selectAll().where('name', '=', name).executeTakeFirst();
  return row && reader(db)(row);
}

/** Points the alias at another key; returns false if the alias does not exist. */
export async function update(db: Db, name: string, keyId: string, updatedAt: Date): Promise<boolean> {
  return updateRow(db, 'aliases', { name }, () => ({ key_id: keyId, updated_at: ms(updatedAt) }));
}

/** Deletes the alias; returns whether it existed. */
export async function remove(db: Db, name: string): Promise<boolean> {
  const result = await db.deleteFrom('aliases').where('name', '=', name).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** The key's aliases, ordered by name. */
export async function listByKey(db: Db, keyId: string): Promise<AliasRecord[]> {
  const rows = await db.selectFrom('aliases').selectAll().where('key_id', '=', keyId).orderBy('name').execute();
  return rows.map(reader(db));
}

/** The aliases of these keys, ordered by name (ListKeys includeMetadata: one read for a page). */
export async function listByKeys(db: Db, keyIds: readonly string[]): Promise<AliasRecord[]> {
  if (keyIds.length === 0) return [];
  const rows = await db.selectFrom('aliases').selectAll().where('key_id', 'in', keyIds).orderBy('name').execute();
  return rows.map(reader(db));
}

export interface AliasPageRequest extends PageRequest {
  /** Only this key's aliases. */
  readonly keyId?: string | undefined;
}

const isNameCursor = (v: unknown): v is string => typeof v === 'string';

/** Aliases ordered by name, optionally of one key; invalid `after` → INVALID_MARKER. */
export async function list(db: Db, request: AliasPageRequest): Promise<Page<AliasRecord>> {
  const limit = checkLimit(request.limit);
  let query = db.selectFrom('aliases').selectAll();
  if (request.keyId !== undefined) query = query.where('key_id', '=', request.keyId);
  if (request.after !== undefined) query = query.where('name', '>', decodeCursor(request.after, isNameCursor));
  const rows = await query
    .orderBy('name')
    .limit(limit + 1)
    .execute();
  return toPage(rows, limit, reader(db), (row) => row.name);
}

/** Deletes every alias of the key (when it is destroyed); returns how many. */
export async function removeForKey(db: Db, keyId: string): Promise<number> {
  const result = await db.deleteFrom('aliases').where('key_id', '=', keyId).executeTakeFirst();
  return Number(result.numDeletedRows);
}
