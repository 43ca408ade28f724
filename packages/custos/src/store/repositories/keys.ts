// Repository for keys (KeyRecord): insert, read, patch, list with cursor, counters; the joined reads (keys-joined.ts)
// and the maintenance sweeps (keys-due.ts) live beside it and are re-exported here.
// Must not import service or api; rows are mapped to records here and never returned.
import {
  InternalError,
  type Algorithm,
  type KeySpec,
  type KeyState,
  type KeyUsage,
  type Origin,
  type ProtectionLevel,
} from '@custos/contract';
import { dialectOf } from '../dialect.js';
import type { KeyRow, KeyRowUpdate, NewKeyRow } from '../schema/index.js';
import type { Db } from '../store.js';
import type { KeyRecord, Page } from '../types.js';
import { checkRow, updateRow, withMac } from './authenticated.js';
import { flag, ms, msOrNull, num, numOrNull, toDate, toDateOrNull } from './convert.js';
import { listByCreation, type PageRequest } from './page.js';

export type KeyPatch = Partial<Omit<KeyRecord, 'id' | 'createdAt'>>;

/** The mapper for rows read through `db`: the row's MAC checked, then one row → one KeyRecord (key-listing.ts too). */
export const reader =
  (db: Db) =>
  (row: KeyRow): KeyRecord =>
    toRecord(checkRow(db, 'keys', row.id, row));

function toRecord(row: KeyRow): KeyRecord {
  return {
    id: row.id,
    spec: row.spec as KeySpec,
    usage: row.usage as KeyUsage,
    state: row.state as KeyState,
    origin: row.origin as Origin,
    protectionLevel: row.protection_level as ProtectionLevel,
    description: row.description,
    exportable: row.exportable !== 0,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
    deletionDate: toDateOrNull(row.deletion_date),
    pendingWindowDays: row.pending_window_days,
    latestVersion: row.latest_version,
    rotationEnabled: row.rotation_enabled !== 0,
    rotationPeriodDays: row.rotation_period_days,
    nextRotationAt: toDateOrNull(row.next_rotation_at),
    allowedAlgorithms: row.allowed_algorithms === null ? null : (JSON.parse(row.allowed_algorithms) as Algorithm[]),
    notBefore: toDateOrNull(row.not_before),
    notAfter: toDateOrNull(row.not_after),
    maxUses: numOrNull(row.max_uses),
    useCount: num(row.use_count),
    materialExpiresAt: toDateOrNull(row.material_expires_at),
    applicationId: row.application_id,
    referenceId: row.reference_id,
    policy: row.policy,
    publishJwk: row.publish_jwk !== 0,
    pinProtected: row.pin_protected !== 0,
    publicKeyOnly: row.public_key_only !== 0,
    minDecryptionVersion: row.min_decryption_version,
    trimFloor: row.trim_floor,
    trimDate: toDateOrNull(row.trim_date),
  };
}

type Writable = Omit<KeyRecord, 'id' | 'createdAt'>;
type FieldWriter<K extends keyof Writable> = (value: Writable[K]) => KeyRowUpdate;

/** How each writable field becomes columns: the one place record names meet column names. */
const WRITERS: { [K in keyof Writable]-?: FieldWriter<K> } = {
  spec: (v) => ({ spec: v }),
  usage: (v) => ({ usage: v }),
  state: (v) => ({ state: v }),
  origin: (v) => ({ origin: v }),
  protectionLevel: (v) => ({ protection_level: v }),
  description: (v) => ({ description: v }),
  exportable: (v) => ({ exportable: flag(v) }),
  updatedAt: (v) => ({ updated_at: ms(v) }),
  deletionDate: (v) => ({ deletion_date: msOrNull(v) }),
  pendingWindowDays: (v) => ({ pending_window_days: v }),
  latestVersion: (v) => ({ latest_version: v }),
  rotationEnabled: (v) => ({ rotation_enabled: flag(v) }),
  rotationPeriodDays: (v) => ({ rotation_period_days: v }),
  nextRotationAt: (v) => ({ next_rotation_at: msOrNull(v) }),
  allowedAlgorithms: (v) => ({ allowed_algorithms: v === null ? null : JSON.stringify(v) }),
  notBefore: (v) => ({ not_before: msOrNull(v) }),
  notAfter: (v) => ({ not_after: msOrNull(v) }),
  maxUses: (v) => ({ max_uses: v }),
  useCount: (v) => ({ use_count: v }),
  materialExpiresAt: (v) => ({ material_expires_at: msOrNull(v) }),
  applicationId: (v) => ({ application_id: v }),
  referenceId: (v) => ({ reference_id: v }),
  policy: (v) => ({ policy: v }),
  publishJwk: (v) => ({ publish_jwk: flag(v) }),
  pinProtected: (v) => ({ pin_protected: flag(v) }),
  publicKeyOnly: (v) => ({ public_key_only: flag(v) }),
  minDecryptionVersion: (v) => ({ min_decryption_version: v }),
  trimFloor: (v) => ({ trim_floor: v }),
  trimDate: (v) => ({ trim_date: msOrNull(v) }),
};

function toColumns(patch: KeyPatch): KeyRowUpdate {
  let columns: KeyRowUpdate = {};
  for (const field of Object.keys(patch) as (keyof Writable)[]) {
    const value = patch[field];
    if (value === undefined) continue;
    const write = WRITERS[field] as FieldWriter<typeof field> | undefined;
    if (write === undefined) throw new Error(`keys.update: unknown field ${field}`);
    columns = { ...columns, ...write(value) };
  }
  return columns;
}

export async function insert(db: Db, record: KeyRecord): Promise<void> {
  await db.insertInto('keys').values(newRow(db, record)).execute();
}

/** Inserts many keys with one statement per `chunk` rows (bulk loads: bench/fill.ts); each row MACed as insert's. */
export async function insertMany(db: Db, records: readonly KeyRecord[], chunk = 500): Promise<void> {
  for (let at = 0; at < records.length; at += chunk)
    await db
      .insertInto('keys')
      .values(records.slice(at, at + chunk).map((record) => newRow(db, record)))
      .execute();
}

function newRow(db: Db, record: KeyRecord): NewKeyRow {
  const { id, createdAt, ...fields } = record;
  const row = { id, created_at: ms(createdAt), ...toColumns(fields) } as Omit<NewKeyRow, 'row_mac'>;
  return withMac(db, 'keys', row);
}

export async function get(db: Db, id: string): Promise<KeyRecord | undefined> {
  const row = await db.selectFrom('keys').selectAll().where('id', '=', id).executeTakeFirst();
  return row && reader(db)(row);
}

export { getWithLatestVersion, pageWithLatestVersion } from './keys-joined.js';

/**
 * Reads the key and locks it until the transaction ends, for read-then-write work (rotation, import)
 * that must not interleave with the same work elsewhere: on PostgreSQL `SELECT ... FOR UPDATE` (a
 * second caller waits, then reads what the first committed); on SQLite the transaction already
 * holds the store's only connection. Must run inside a transaction (throws INTERNAL otherwise).
 * @example const key = await keys.getForUpdate(tx, id); // then insert version key.latestVersion + 1
 */
export async function getForUpdate(db: Db, id: string): Promise<KeyRecord | undefined> {
  if (!db.isTransaction) throw new InternalError('keys.getForUpdate must run inside a transaction');
  let query = db.selectFrom('keys').selectAll().where('id', '=', id);
  if (dialectOf(db) === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row && reader(db)(row);
}

/**
 * Writes the given fields only (undefined fields are skipped; pass `updatedAt` to move it).
 * @example await keys.update(tx, id, { state: 'Disabled', updatedAt: now });
 */
export async function update(db: Db, id: string, patch: KeyPatch): Promise<void> {
  const columns = toColumns(patch);
  if (Object.keys(columns).length === 0) return;
  await updateRow(db, 'keys', { id }, () => columns);
}

/** Which keys `list` returns: all, or those of one application id (and reference id). */
export interface KeyFilter {
  readonly applicationId?: string;
  readonly referenceId?: string;
}

/** KeyRecords oldest first, of a keyring when `filter` names one; invalid `after` → INVALID_MARKER. */
export function list(db: Db, request: PageRequest, filter: KeyFilter = {}): Promise<Page<KeyRecord>> {
  return listByCreation(db, 'keys', request, reader(db), {
    ...(filter.applicationId !== undefined ? { application_id: filter.applicationId } : {}),
    ...(filter.referenceId !== undefined ? { reference_id: filter.referenceId } : {}),
  });
}

/** Keys of one keyring (MOSIP application id / reference id), oldest first. */
export async function findByKeyring(db: Db, applicationId: string, referenceId: string): Promise<KeyRecord[]> {
  const rows = await db
    .selectFrom('keys')
    .selectAll()
    .where('application_id', '=', applicationId)
    .where('reference_id', '=', referenceId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(reader(db));
}

/** Which keys `listForJwks` returns: published signing keys only, or those with a tag (and tag value). */
export interface JwksFilter {
  readonly published?: boolean;
  readonly tagKey?: string;
  readonly tagValue?: string;
  readonly applicationId?: string;
  readonly referenceId?: string;
}

/** The most keys one JWK Set lists. */
export const MAX_JWKS_KEYS = 1000;

/**
 * Enabled keys of the usages asymmetric keys have (the caller drops symmetric ones), oldest first, at most MAX_JWKS_KEYS: with `published`, only the signing
 * keys marked publishJwk; with `tagKey`, only keys with that tag (and `tagValue`); with `applicationId` (and
 * `referenceId`), only the keys of that keyring.
 */
export async function listForJwks(db: Db, filter: JwksFilter): Promise<KeyRecord[]> {
  let query = db
    .selectFrom('keys')
    .selectAll()
    .where('state', '=', 'Enabled')
    .where('usage', 'in', ['SIGN_VERIFY', 'KEY_AGREEMENT', 'ENCRYPT_DECRYPT']);
  if (filter.published === true) query = query.where('publish_jwk', '=', 1).where('usage', '=', 'SIGN_VERIFY');
  if (filter.tagKey !== undefined) {
    let tagged = db.selectFrom('key_tags').select('key_id').where('tag_key', '=', filter.tagKey);
    if (filter.tagValue !== undefined) tagged = tagged.where('tag_value', '=', filter.tagValue);
    query = query.where('id', 'in', tagged);
  }
  if (filter.applicationId !== undefined) query = query.where('application_id', '=', filter.applicationId);
  if (filter.referenceId !== undefined) query = query.where('reference_id', '=', filter.referenceId);
  const rows = await query.orderBy('created_at').orderBy('id').limit(MAX_JWKS_KEYS).execute();
  return rows.map(reader(db));
}

export { listDueForDeletion, listDueForRotation, listDueForTrim, listExpiredMaterial } from './keys-due.js';

/** Number of keys per state; states with no key are absent. */
export async function countByState(db: Db): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('keys')
    .select(['state', (eb) => eb.fn.countAll().as('count')])
    .groupBy('state')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.state, num(r.count)]));
}

/**
 * Counts one use of the key, atomically, unless that would exceed its limit: the stored
 * `max_uses` always applies, and `maxUses` (the caller's view of it; null = no extra limit)
 * too. Returns false when the limit is reached or the key does not exist, true when counted.
 * A compare-and-set on the authenticated row, so concurrent calls cannot overshoot.
 * @example if (!(await keys.incrementUseCount(tx, key.id, key.maxUses))) throw new LimitExceededError(...)
 */
export async function incrementUseCount(db: Db, id: string, maxUses: number | null): Promise<boolean> {
  // The count is authenticated with the row: read it, check the limits, write count + 1 with the new MAC only if
  // the row is still the one read (a concurrent use makes this one read again), so no two uses take one slot.
  return updateRow(db, 'keys', { id }, (row) => {
    const count = num(row.use_count as KeyRow['use_count']);
    const stored = row.max_uses as KeyRow['max_uses'];
    if (stored !== null && count >= num(stored)) return null;
    if (maxUses !== null && count >= maxUses) return null;
    return { use_count: count + 1 };
  });
}
