// Repository for grants (GrantRecord): row-MAC'd, listed per key or per retiring principal by creation.
// Must not import service or api; rows are mapped to records here and never returned.
import { ConflictError } from '@custos/contract';
import { isUniqueViolation } from '../dialect.js';
import type { GrantRow } from '../schema/index.js';
import type { Db } from '../store.js';
import type { GrantConstraintsRecord, GrantRecord, Page } from '../types.js';
import { checkRow, withMac } from './authenticated.js';
import { ms, num, toDate } from './convert.js';
import { checkLimit, decodeCursor, toPage, type PageRequest } from './page.js';

const reader =
  (db: Db) =>
  (row: GrantRow): GrantRecord => {
    checkRow(db, 'grants', row.id, row);
    return {
      id: row.id,
      keyId: row.key_id,
      granteePrincipal: row.grantee_principal,
      retiringPrincipal: row.retiring_principal,
      operations: JSON.parse(row.operations) as string[],
      constraints: row.constraints === null ? null : (JSON.parse(row.constraints) as GrantConstraintsRecord),
      name: row.name,
      issuingPrincipal: row.issuing_principal,
      createdAt: toDate(row.created_at),
    };
  };

/** Inserts the grant; ALREADY_EXISTS if its id is taken. */
export async function insert(db: Db, record: GrantRecord): Promise<void> {
  try {
    await db
      .insertInto('grants')
      .values(
        withMac(db, 'grants', {
          id: record.id,
          key_id: record.keyId,
          grantee_principal: record.granteePrincipal,
          retiring_principal: record.retiringPrincipal,
          operations: JSON.stringify(record.operations),
          constraints: record.constraints === null ? null : JSON.stringify(record.constraints),
          name: record.name,
          issuing_principal: record.issuingPrincipal,
          created_at: ms(record.createdAt),
        }),
      )
      .execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError(`grant ${record.id} already exists`);
    throw err;
  }
}

/** The grant with this id, or undefined. */
export async function get(db: Db, id: string): Promise<GrantRecord | undefined> {
  const row = await db.selectFrom('grants').selectAll().where('id', '=', id).executeTakeFirst();
  return row && reader(db)(row);
}

/** The grants of a key with this idempotency name, oldest first. */
export async function withName(db: Db, keyId: string, name: string): Promise<GrantRecord[]> {
  const rows = await db
    .selectFrom('grants')
    .selectAll()
    .where('key_id', '=', keyId)
    .where('name', '=', name)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(reader(db));
}

/** Every grant of a key, oldest first (the authorization source; a key holds a bounded number). */
export async function forKey(db: Db, keyId: string): Promise<GrantRecord[]> {
  const rows = await db
    .selectFrom('grants')
    .selectAll()
    .where('key_id', '=', keyId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(reader(db));
}

/** How many grants a key has. */
export async function countForKey(db: Db, keyId: string): Promise<number> {
  const row = await db
    .selectFrom('grants')
    .select((eb) => eb.fn.countAll().as('count'))
    .where('key_id', '=', keyId)
    .executeTakeFirstOrThrow();
  return num(row.count);
}

/** Deletes the grant; false when there was none with this id. */
export async function remove(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('grants').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

type Cursor = [number, string];
const isCursor = (v: unknown): v is Cursor =>
  Array.isArray(v) && v.length === 2 && Number.isSafeInteger(v[0]) && typeof v[1] === 'string';

/** What to list: the grants of one key (optionally one grant or one grantee), or those one principal may retire. */
export type GrantFilter =
  | { readonly keyId: string; readonly grantId?: string | undefined; readonly granteePrincipal?: string | undefined }
  | { readonly retiringPrincipal: string };

/** Grants oldest first; invalid `after` → INVALID_MARKER. */
export async function list(db: Db, filter: GrantFilter, request: PageRequest): Promise<Page<GrantRecord>> {
  const limit = checkLimit(request.limit);
  let query = db.selectFrom('grants').selectAll();
  if ('retiringPrincipal' in filter) query = query.where('retiring_principal', '=', filter.retiringPrincipal);
  else {
    query = query.where('key_id', '=', filter.keyId);
    if (filter.grantId !== undefined) query = query.where('id', '=', filter.grantId);
    if (filter.granteePrincipal !== undefined) query = query.where('grantee_principal', '=', filter.granteePrincipal);
  }
  if (request.after !== undefined) {
    const [createdAt, id] = decodeCursor(request.after, isCursor);
    query = query.where((eb) =>
      eb.or([eb('created_at', '>', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '>', id)])]),
    );
  }
  const rows = await query
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit + 1)
    .execute();
  return toPage(rows, limit, reader(db), (row): Cursor => [num(row.created_at), row.id]);
}
