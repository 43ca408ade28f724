// Repository for AWS-style access keys (AccessKeyRecord): the secret stays wrapped here; the service unwraps it.
// Must not import service or api; rows are mapped to records here and never returned.
import { ConflictError, type Role } from '@custos/contract';
import { isUniqueViolation } from '../dialect.js';
import type { AccessKeyRow } from '../schema/index.js';
import type { Db } from '../store.js';
import type { AccessKeyRecord, Page } from '../types.js';
import { bytes, ms, msOrNull, toDate, toDateOrNull } from './convert.js';
import { checkRow, withMac } from './authenticated.js';
import { revokeCredential, touchCredential } from './credentials.js';
import { listByCreation, type PageRequest } from './page.js';

/** The mapper: one row → one AccessKeyRecord. */
/** The mapper for rows read through `db`: the row's MAC checked, then one row → one AccessKeyRecord. */
const reader =
  (db: Db) =>
  (row: AccessKeyRow): AccessKeyRecord =>
    toRecord(checkRow(db, 'access_keys', row.id, row));

function toRecord(row: AccessKeyRow): AccessKeyRecord {
  return {
    id: row.id,
    principal: row.principal,
    roles: JSON.parse(row.roles) as Role[],
    wrappedSecret: bytes(row.wrapped_secret),
    description: row.description,
    tags: row.tags === null ? null : (JSON.parse(row.tags) as Record<string, string>),
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
      .values(
        withMac(db, 'access_keys', {
          id: record.id,
          principal: record.principal,
          roles: JSON.stringify(record.roles),
          wrapped_secret: record.wrappedSecret,
          description: record.description,
          tags: record.tags === null ? null : JSON.stringify(record.tags),
          created_at: ms(record.createdAt),
          revoked_at: msOrNull(record.revokedAt),
          last_used_at: msOrNull(record.lastUsedAt),
        }),
      )
      .execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError(`access key ${record.id} already exists`);
    throw err;
  }
}

/** The access key with this id, revoked or not (the service decides). */
export async function get(db: Db, id: string): Promise<AccessKeyRecord | undefined> {
  const row = await db.selectFrom('access_keys').selectAll().where('id', '=', id).executeTakeFirst();
  return row && reader(db)(row);
}

/** Marks the access key revoked at `at` unless it already is; returns false if it does not exist or was revoked. */
export function revoke(db: Db, id: string, at: Date): Promise<boolean> {
  return revokeCredential(db, 'access_keys', id, at);
}

/** Records a use of the access key (callers throttle how often they write it). */
export function touch(db: Db, id: string, at: Date): Promise<void> {
  return touchCredential(db, 'access_keys', id, at);
}

/** AccessKeyRecords oldest first; invalid `after` → INVALID_MARKER. */
export function list(db: Db, request: PageRequest): Promise<Page<AccessKeyRecord>> {
  return listByCreation(db, 'access_keys', request, reader(db));
}
