// Repository for custom key stores (CustomKeyStoreRecord): the PIN stays wrapped here; the service unwraps it.
// Must not import service or api; rows are mapped to records here and never returned.
import { ConflictError, type ConnectionErrorCode } from '@custos/contract';
import { isUniqueViolation } from '../dialect.js';
import type { CustomKeyStoreRow } from '../schema/index.js';
import type { Db } from '../store.js';
import type { CustomKeyStoreRecord, Page, StoredConnectionState } from '../types.js';
import { checkRow, updateRow, withMac } from './authenticated.js';
import { bytes, ms, toDate } from './convert.js';
import { listByCreation, type PageRequest } from './page.js';

/** The mapper for rows read through `db`: the row's MAC checked, then one row → one CustomKeyStoreRecord. */
const reader =
  (db: Db) =>
  (row: CustomKeyStoreRow): CustomKeyStoreRecord =>
    toRecord(checkRow(db, 'custom_key_stores', row.id, row));

function toRecord(row: CustomKeyStoreRow): CustomKeyStoreRecord {
  return {
    id: row.id,
    name: row.name,
    tokenLabel: row.token_label,
    wrappedPin: bytes(row.wrapped_pin),
    trustAnchor: row.trust_anchor,
    connectionState: row.connection_state as StoredConnectionState,
    connectionErrorCode: row.connection_error_code as ConnectionErrorCode | null,
    createdAt: toDate(row.created_at),
  };
}

const nameInUse = (name: string): ConflictError =>
  new ConflictError(`a custom key store is already named '${name}'`, 'CUSTOM_KEY_STORE_NAME_IN_USE');
const tokenInUse = (label: string): ConflictError =>
  new ConflictError(`another custom key store uses the token '${label}'`, 'CLOUD_HSM_CLUSTER_IN_USE');

/**
 * Refuses a name or token label another store (not `id`) has. Checked before writing, since after a failed statement
 * PostgreSQL accepts no more queries in the transaction; the unique indexes still catch a concurrent writer.
 */
async function checkUnique(
  db: Db,
  id: string,
  name: string | undefined,
  tokenLabel: string | undefined,
): Promise<void> {
  if (name !== undefined) {
    const row = await db.selectFrom('custom_key_stores').select('id').where('name', '=', name).executeTakeFirst();
    if (row && row.id !== id) throw nameInUse(name);
  }
  if (tokenLabel !== undefined) {
    const row = await db
      .selectFrom('custom_key_stores')
      .select('id')
      .where('token_label', '=', tokenLabel)
      .executeTakeFirst();
    if (row && row.id !== id) throw tokenInUse(tokenLabel);
  }
}

/** A concurrent writer took the name or the label (the driver's message names the column on both dialects). */
function violation(err: unknown, name: string, tokenLabel: string): ConflictError {
  return (err as Error).message.includes('token_label') ? tokenInUse(tokenLabel) : nameInUse(name);
}

/** Inserts the store; CUSTOM_KEY_STORE_NAME_IN_USE or CLOUD_HSM_CLUSTER_IN_USE when its name or token is taken. */
export async function insert(db: Db, record: CustomKeyStoreRecord): Promise<void> {
  await checkUnique(db, record.id, record.name, record.tokenLabel);
  try {
    await db
      .insertInto('custom_key_stores')
      .values(
        withMac(db, 'custom_key_stores', {
          id: record.id,
          name: record.name,
          token_label: record.tokenLabel,
          wrapped_pin: record.wrappedPin,
          trust_anchor: record.trustAnchor,
          connection_state: record.connectionState,
          connection_error_code: record.connectionErrorCode,
          created_at: ms(record.createdAt),
        }),
      )
      .execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw violation(err, record.name, record.tokenLabel);
    throw err;
  }
}

/** The store with this id. */
export async function get(db: Db, id: string): Promise<CustomKeyStoreRecord | undefined> {
  const row = await db.selectFrom('custom_key_stores').selectAll().where('id', '=', id).executeTakeFirst();
  return row && reader(db)(row);
}

/** The store with this name. */
export async function getByName(db: Db, name: string): Promise<CustomKeyStoreRecord | undefined> {
  const row = await db.selectFrom('custom_key_stores').selectAll().where('name', '=', name).executeTakeFirst();
  return row && reader(db)(row);
}

/** What an update may change. */
export interface CustomKeyStorePatch {
  readonly name?: string;
  readonly tokenLabel?: string;
  readonly wrappedPin?: Uint8Array;
  readonly connectionState?: StoredConnectionState;
  readonly connectionErrorCode?: ConnectionErrorCode | null;
}

/**
 * Applies `patch` to the store if `allowed(current)` says so (else leaves it and resolves to the current record, for
 * the caller's error); resolves to undefined when the store does not exist. Name or token taken → ConflictError.
 */
export async function update(
  db: Db,
  id: string,
  allowed: (current: CustomKeyStoreRecord) => boolean,
  patch: CustomKeyStorePatch,
): Promise<{ readonly updated: boolean; readonly record: CustomKeyStoreRecord } | undefined> {
  await checkUnique(db, id, patch.name, patch.tokenLabel);
  let current: CustomKeyStoreRecord | undefined;
  let ok = false;
  try {
    await updateRow(db, 'custom_key_stores', { id }, (row) => {
      current = toRecord(row as unknown as CustomKeyStoreRow);
      ok = allowed(current);
      if (!ok) return null;
      return {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.tokenLabel !== undefined ? { token_label: patch.tokenLabel } : {}),
        ...(patch.wrappedPin !== undefined ? { wrapped_pin: patch.wrappedPin } : {}),
        ...(patch.connectionState !== undefined ? { connection_state: patch.connectionState } : {}),
        ...(patch.connectionErrorCode !== undefined ? { connection_error_code: patch.connectionErrorCode } : {}),
      };
    });
  } catch (err) {
    if (isUniqueViolation(err) && current)
      throw violation(err, patch.name ?? current.name, patch.tokenLabel ?? current.tokenLabel);
    throw err;
  }
  return current && { updated: ok, record: current };
}

/** Deletes the store if `allowed(current)`; resolves like {@link update}. */
export async function remove(
  db: Db,
  id: string,
  allowed: (current: CustomKeyStoreRecord) => boolean,
): Promise<{ readonly deleted: boolean; readonly record: CustomKeyStoreRecord } | undefined> {
  const current = await get(db, id);
  if (!current) return undefined;
  if (!allowed(current)) return { deleted: false, record: current };
  await db.deleteFrom('custom_key_stores').where('id', '=', id).execute();
  return { deleted: true, record: current };
}

/** CustomKeyStoreRecords oldest first; invalid `after` → INVALID_MARKER. */
export function list(db: Db, request: PageRequest): Promise<Page<CustomKeyStoreRecord>> {
  return listByCreation(db, 'custom_key_stores', request, reader(db));
}
