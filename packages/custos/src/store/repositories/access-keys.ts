// Repository for AWS-style access keys (AccessKeyRecord): the secret stays wrapped here; the service unwraps it.
// Must not import service or api; rows are mapped to records here and never returned.
import { ConflictError, type Role } from '@custos/contract';
import { isUniqueViolation } from '../dialect.js';
import type { AccessKeyRow } from '../schema/index.js';
import type { Db } from '../store.js';
import type { AccessKeyRecord, Page } from '../types.js';
import { bytes, ms, msOrNull, num, toDate, toDateOrNull } from './convert.js';
import { checkLimit, decodeCursor, toPage, type PageRequest } from './page.js';

/** The mapper: one row → one AccessKeyRecord. */
function toRecord(row: AccessKeyRow): AccessKeyRecord {
  return {
    id: row.id,
    principal: row.principal,
    roles: JSON.parse(row.roles) as Role[],
    wrappedSecret: bytes(row.wrapped_secret),
    description: row.description,
    createdAt: toDate(row.created_at),
    revokedAt: toDateOrNull(row.revoked_at),
    lastUsedAt: toDateOrNull(row.last_used_at),
  };
}

/** Inserts the access key; throws ConflictError (ALREADY_EXISTS) if its id is taken. */
export async function insert(db: Db, record: AccessKeyRecord): Promise<void> {
  try {
    await db
      .insertInto('access_keys')
      .values({
        id: record.id,
        principal: record.principal,
        roles: JSON.stringify(record.roles),
        wrapped_secret: record.wrappedSecret,
        description: record.description,
        created_at: ms(record.createdAt),
        revoked_at: msOrNull(record.revokedAt),
        last_used_at: msOrNull(record.lastUsedAt),
      })
      .execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError(`access key ${record.id} already exists`);
    throw err;
  }
}

/** The access key with this id, revoked or not (the service decides). */
export async function get(db: Db, id: string): Promise<AccessKeyRecord | undefined> {
  const row = await db.selectFrom('access_keys').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toRecord(row);
}

/** Marks the access key revoked at `at` unless it already is; returns false if it does not exist or was revoked. */
export async function revoke(db: Db, id: string, at: Date): Promise<boolean> {
  const result = await db
    .updateTable('access_keys')
    .set({ revoked_at: ms(at) })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Records a use of the access key (callers throttle how often they write it). */
export async function touch(db: Db, id: string, at: Date): Promise<void> {
  await db.updateTable('access_keys').set({ last_used_at: ms(at) }).where('id', '=', id).execute();
}

type AccessKeyCursor = [number, string];
const isAccessKeyCursor = (v: unknown): v is AccessKeyCursor =>
  Array.isArray(v) && v.length === 2 && Number.isSafeInteger(v[0]) && typeof v[1] === 'string';

/** Access keys oldest first; invalid `after` → INVALID_MARKER. */
export async function list(db: Db, request: PageRequest): Promise<Page<AccessKeyRecord>> {
  const limit = checkLimit(request.limit);
  let query = db.selectFrom('access_keys').selectAll();
  if (request.after !== undefined) {
    const [createdAt, id] = decodeCursor(request.after, isAccessKeyCursor);
    query = query.where((eb) =>
      eb.or([eb('created_at', '>', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '>', id)])]),
    );
  }
  const rows = await query.orderBy('created_at').orderBy('id').limit(limit + 1).execute();
  return toPage(rows, limit, toRecord, (row): AccessKeyCursor => [num(row.created_at), row.id]);
}
