// Repository for import tokens (ImportTokenRecord): the wrapping key pairs of pending imports.
// Must not import service or api; rows are mapped to records here and never returned.
import type { WrappingAlgorithm, WrappingKeySpec } from '@custos/contract';
import type { ImportTokenRow } from '../schema/index.js';
import type { Db } from '../store.js';
import type { ImportTokenRecord } from '../types.js';
import { checkRow, withMac } from './authenticated.js';
import { bytes, ms, toDate } from './convert.js';

/** The mapper: one row → one ImportTokenRecord. */
function toRecord(row: ImportTokenRow): ImportTokenRecord {
  return {
    id: row.id,
    keyId: row.key_id,
    wrappingKeySpec: row.wrapping_key_spec as WrappingKeySpec,
    wrappingAlgorithm: row.wrapping_algorithm as WrappingAlgorithm,
    wrappedPrivateKey: bytes(row.wrapped_private_key),
    publicKey: bytes(row.public_key),
    createdAt: toDate(row.created_at),
    expiresAt: toDate(row.expires_at),
  };
}

export async function insert(db: Db, record: ImportTokenRecord): Promise<void> {
  await db
    .insertInto('import_tokens')
    .values(
      withMac(db, 'import_tokens', {
        id: record.id,
        key_id: record.keyId,
        wrapping_key_spec: record.wrappingKeySpec,
        wrapping_algorithm: record.wrappingAlgorithm,
        wrapped_private_key: record.wrappedPrivateKey,
        public_key: record.publicKey,
        created_at: ms(record.createdAt),
        expires_at: ms(record.expiresAt),
      }),
    )
    .execute();
}

/** The token by id, expired or not (the service checks `expiresAt`). */
export async function get(db: Db, id: string): Promise<ImportTokenRecord | undefined> {
  const row = await db.selectFrom('import_tokens').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toRecord(checkRow(db, 'import_tokens', row.id, row));
}

/**
 * Spends the token: deletes it if it belongs to `keyId` and has not expired at `now`; returns whether this call
 * deleted it. Run it in the import's transaction, so the token is spent exactly when the import commits: of two
 * imports racing with one token, the second finds no row (on PostgreSQL after waiting for the first's row lock).
 * The row goes rather than being marked used: its wrapping private key is of no further use, and once deleted
 * not even the database and the root key together can unwrap key material captured on its way in.
 * @example if (!(await importTokens.consume(tx, tokenId, keyId, now))) throw new ValidationError('...', 'INVALID_IMPORT_TOKEN');
 */
export async function consume(db: Db, id: string, keyId: string, now: Date): Promise<boolean> {
  const result = await db
    .deleteFrom('import_tokens')
    .where('id', '=', id)
    .where('key_id', '=', keyId)
    .where('expires_at', '>', ms(now))
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Deletes every token of the key (when the key is destroyed); returns how many. */
export async function removeForKey(db: Db, keyId: string): Promise<number> {
  const result = await db.deleteFrom('import_tokens').where('key_id', '=', keyId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes tokens that expired at or before `now`; returns how many. */
export async function removeExpired(db: Db, now: Date): Promise<number> {
  const result = await db.deleteFrom('import_tokens').where('expires_at', '<=', ms(now)).executeTakeFirst();
  return Number(result.numDeletedRows);
}
