// Repository for REST API tokens (TokenRecord): looked up by the token's keyed hash, never by the token.
// Must not import service or api; rows are mapped to records here and never returned.
import { ConflictError, type Role } from '@custos/contract';
import { isUniqueViolation } from '../dialect.js';
import type { ApiTokenRow } from '../schema/index.js';
import type { Db } from '../store.js';
import type { Page, TokenRecord } from '../types.js';
import { ms, msOrNull, num, toDate, toDateOrNull } from './convert.js';
import { checkRow, withMac } from './authenticated.js';
import { revokeCredential, touchCredential } from './credentials.js';
import { listByCreation, type PageRequest } from './page.js';

/** The mapper: one row → one TokenRecord. */
/** The mapper for rows read through `db`: the row's MAC checked, then one row → one TokenRecord. */
const reader =
  (db: Db) =>
  (row: ApiTokenRow): TokenRecord =>
    toRecord(checkRow(db, 'api_tokens', row.id, row));

function toRecord(row: ApiTokenRow): TokenRecord {
  return {
    id: row.id,
    principal: row.principal,
    roles: JSON.parse(row.roles) as Role[],
    tokenHash: row.token_hash,
    description: row.description,
    tags: row.tags === null ? null : (JSON.parse(row.tags) as Record<string, string>),
    createdAt: toDate(row.created_at),
    expiresAt: toDateOrNull(row.expires_at),
    revokedAt: toDateOrNull(row.revoked_at),
    lastUsedAt: toDateOrNull(row.last_used_at),
  };
}

/** Inserts the token; throws ConflictError (ALREADY_EXISTS) if its id or hash is taken. */
export async function insert(db: Db, record: TokenRecord): Promise<void> {
  try {
    await db
      .insertInto('api_tokens')
      .values(
        withMac(db, 'api_tokens', {
          id: record.id,
          principal: record.principal,
          roles: JSON.stringify(record.roles),
          token_hash: record.tokenHash,
          description: record.description,
          tags: record.tags === null ? null : JSON.stringify(record.tags),
          created_at: ms(record.createdAt),
          expires_at: msOrNull(record.expiresAt),
          revoked_at: msOrNull(record.revokedAt),
          last_used_at: msOrNull(record.lastUsedAt),
        }),
      )
      .execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError(`token ${record.id} already exists`);
    throw err;
  }
}

export async function get(db: Db, id: string): Promise<TokenRecord | undefined> {
  const row = await db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
  return row && reader(db)(row);
}

/** The token stored under the keyed hash `tokenHash`, revoked or expired or not (the service decides). */
export async function getByHash(db: Db, tokenHash: string): Promise<TokenRecord | undefined> {
  const row = await db.selectFrom('api_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  return row && reader(db)(row);
}

/** How many tokens exist, revoked and expired included (0 means a fresh store: the server bootstraps one). */
export async function count(db: Db): Promise<number> {
  const row = await db
    .selectFrom('api_tokens')
    .select((eb) => eb.fn.countAll().as('count'))
    .executeTakeFirstOrThrow();
  return num(row.count);
}

/** Marks the token revoked at `at` unless it already is; returns false if it does not exist or was revoked. */
export function revoke(db: Db, id: string, at: Date): Promise<boolean> {
  return revokeCredential(db, 'api_tokens', id, at);
}

/** Records a use of the token (callers throttle how often they write it). */
export function touch(db: Db, id: string, at: Date): Promise<void> {
  return touchCredential(db, 'api_tokens', id, at);
}

/** TokenRecords oldest first; invalid `after` → INVALID_MARKER. */
export function list(db: Db, request: PageRequest): Promise<Page<TokenRecord>> {
  return listByCreation(db, 'api_tokens', request, reader(db));
}
