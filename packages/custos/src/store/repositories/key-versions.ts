// Repository for key versions (KeyVersionRecord): one row per rotation; material destroyed by NULLing it.
// Must not import service or api; rows are mapped to records here and never returned.
import { NotFoundError } from '@custos/contract';
import { sql } from 'kysely';
import type { KeyVersionRow } from '../schema/index.js';
import type { Db } from '../store.js';
import type { KeyVersionRecord, Page } from '../types.js';
import { checkRow, updateRow, withMac } from './authenticated.js';
import { bytesOrNull, ms, num, toDate } from './convert.js';
import { checkLimit, decodeCursor, toPage, type PageRequest } from './page.js';

/** The mapper: one row → one KeyVersionRecord. */
/** The mapper for rows read through `db`: the row's MAC checked, then one row → one KeyVersionRecord. */
const reader =
  (db: Db) =>
  (row: KeyVersionRow): KeyVersionRecord =>
    toRecord(checkRow(db, 'key_versions', `${row.key_id}/${row.version}`, row));

/**
 * Every column of key_versions, for reads that join it under aliased names (keys.getWithLatestVersion): a column
 * added to the table and missing here fails to compile, instead of failing the row's MAC at run time.
 */
export const VERSION_COLUMNS = {
  key_id: true,
  version: true,
  wrapped_material: true,
  public_key: true,
  created_at: true,
  rotation_type: true,
  encryption_count: true,
  material_check: true,
  row_mac: true,
  custom_key_store_id: true,
  token_object_id: true,
  root_kcv: true,
  wrapping_key_id: true,
} as const satisfies Record<keyof KeyVersionRow, true>;

/** A version row read by a join (its MAC checked as any other read's). */
export function fromRow(db: Db, row: KeyVersionRow): KeyVersionRecord {
  return reader(db)(row);
}

function toRecord(row: KeyVersionRow): KeyVersionRecord {
  return {
    keyId: row.key_id,
    version: row.version,
    wrappedMaterial: bytesOrNull(row.wrapped_material),
    publicKey: bytesOrNull(row.public_key),
    createdAt: toDate(row.created_at),
    rotationType: row.rotation_type as KeyVersionRecord['rotationType'],
    encryptionCount: num(row.encryption_count),
    materialCheck: row.material_check,
    tokenObjectId: row.token_object_id,
    customKeyStoreId: row.custom_key_store_id,
    wrappingKeyId: row.wrapping_key_id,
  };
}

export async function insert(db: Db, record: KeyVersionRecord): Promise<void> {
  await db.insertInto('key_versions').values(newRow(db, record)).execute();
}

/** Inserts many versions with one statement per `chunk` rows (bulk loads: bench/fill.ts), each MACed as insert's. */
export async function insertMany(db: Db, records: readonly KeyVersionRecord[], chunk = 500): Promise<void> {
  for (let at = 0; at < records.length; at += chunk)
    await db
      .insertInto('key_versions')
      .values(records.slice(at, at + chunk).map((record) => newRow(db, record)))
      .execute();
}

function newRow(db: Db, record: KeyVersionRecord) {
  return withMac(db, 'key_versions', {
    key_id: record.keyId,
    version: record.version,
    wrapped_material: record.wrappedMaterial,
    public_key: record.publicKey,
    created_at: ms(record.createdAt),
    rotation_type: record.rotationType,
    encryption_count: record.encryptionCount,
    material_check: record.materialCheck ?? null,
    token_object_id: record.tokenObjectId ?? null,
    custom_key_store_id: record.customKeyStoreId ?? null,
    wrapping_key_id: record.wrappingKeyId ?? null,
  });
}

export async function get(db: Db, keyId: string, version: number): Promise<KeyVersionRecord | undefined> {
  const row = await db
    .selectFrom('key_versions')
    .selectAll()
    .where('key_id', '=', keyId)
    .where('version', '=', version)
    .executeTakeFirst();
  return row && reader(db)(row);
}

/** The highest version of the key, or undefined when it has none (PendingImport). */
export async function latest(db: Db, keyId: string): Promise<KeyVersionRecord | undefined> {
  const row = await db
    .selectFrom('key_versions')
    .selectAll()
    .where('key_id', '=', keyId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && reader(db)(row);
}

/** Every version of the key, oldest first. */
export async function list(db: Db, keyId: string): Promise<KeyVersionRecord[]> {
  const rows = await db.selectFrom('key_versions').selectAll().where('key_id', '=', keyId).orderBy('version').execute();
  return rows.map(reader(db));
}

const isVersionCursor = (v: unknown): v is number => Number.isSafeInteger(v);

/** Versions of the key one page at a time, oldest first (ListKeyRotations); invalid `after` → INVALID_MARKER. */
export async function listPaged(db: Db, keyId: string, request: PageRequest): Promise<Page<KeyVersionRecord>> {
  const limit = checkLimit(request.limit);
  let query = db.selectFrom('key_versions').selectAll().where('key_id', '=', keyId);
  if (request.after !== undefined) query = query.where('version', '>', decodeCursor(request.after, isVersionCursor));
  const rows = await query
    .orderBy('version')
    .limit(limit + 1)
    .execute();
  return toPage(rows, limit, reader(db), (row) => row.version);
}

/**
 * Adds `by` to the version's encryption count in one UPDATE and returns the new count, so the
 * caller can enforce the GCM random-IV bound. Throws NOT_FOUND if the version does not exist.
 */
export async function incrementEncryptionCount(db: Db, keyId: string, version: number, by = 1): Promise<number> {
  const row = await db
    .updateTable('key_versions')
    .set({ encryption_count: sql`encryption_count + ${by}` })
    .where('key_id', '=', keyId)
    .where('version', '=', version)
    .returning('encryption_count')
    .executeTakeFirst();
  if (row === undefined) throw new NotFoundError(`key version ${keyId}/${version} not found`);
  return num(row.encryption_count);
}

/**
 * Adds to several versions' encryption counts in ONE transaction (the counters' batched reservations), returning
 * each new count in order, or undefined for a version that no longer exists.
 */
export async function incrementEncryptionCounts(
  db: Db,
  items: readonly { keyId: string; version: number; by: number }[],
): Promise<(number | undefined)[]> {
  // One UPDATE per (version, by) and chunk of key ids, RETURNING the new counts (SQLite and PostgreSQL alike).
  const groups = new Map<string, { version: number; by: number; at: number[] }>();
  items.forEach((item, i) => {
    const k = `${item.version}:${item.by}`;
    const group = groups.get(k) ?? { version: item.version, by: item.by, at: [] };
    group.at.push(i);
    groups.set(k, group);
  });
  const run = async (tx: Db) => {
    const tops: (number | undefined)[] = items.map(() => undefined);
    for (const { version, by, at } of groups.values()) {
      for (let from = 0; from < at.length; from += 500) {
        const chunk = at.slice(from, from + 500);
        const ids = chunk.map((i) => items[i]?.keyId ?? '');
        const rows = await tx
          .updateTable('key_versions')
          .set({ encryption_count: sql`encryption_count + ${by}` })
          .where('version', '=', version)
          .where('key_id', 'in', ids)
          .returning(['key_id', 'encryption_count'])
          .execute();
        const byId = new Map(rows.map((row) => [row.key_id, num(row.encryption_count)]));
        for (const i of chunk) tops[i] = byId.get(items[i]?.keyId ?? '');
      }
    }
    return tops;
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

/**
 * Replaces one version's wrapped material (re-import of the same material after it was deleted or
 * expired). Throws NOT_FOUND if the version does not exist.
 */
export async function setMaterial(db: Db, keyId: string, version: number, wrappedMaterial: Uint8Array): Promise<void> {
  const found = await updateRow(db, 'key_versions', { key_id: keyId, version }, () => ({
    wrapped_material: wrappedMaterial,
  }));
  if (!found) throw new NotFoundError(`key version ${keyId}/${version} not found`);
}

/**
 * Destroys the key's material: wrapped_material becomes NULL for every version, and so does an HSM version's
 * token_object_id (its token object is destroyed by the caller first); public keys and check values stay.
 */
export async function destroyMaterial(db: Db, keyId: string): Promise<void> {
  const versions = await db.selectFrom('key_versions').select('version').where('key_id', '=', keyId).execute();
  for (const { version } of versions) {
    await updateRow(db, 'key_versions', { key_id: keyId, version }, () => ({
      wrapped_material: null,
      token_object_id: null,
    }));
  }
}

/**
 * Destroys the material of the key's versions below `below` (a trim, TrimKeyVersions): as destroyMaterial, for
 * those versions only. Returns the versions whose material it cleared.
 */
export async function destroyMaterialBelow(db: Db, keyId: string, below: number): Promise<number[]> {
  const versions = await db
    .selectFrom('key_versions')
    .select('version')
    .where('key_id', '=', keyId)
    .where('version', '<', below)
    .where((eb) => eb.or([eb('wrapped_material', 'is not', null), eb('token_object_id', 'is not', null)]))
    .execute();
  for (const { version } of versions) {
    await updateRow(db, 'key_versions', { key_id: keyId, version }, () => ({
      wrapped_material: null,
      token_object_id: null,
    }));
  }
  return versions.map((v) => v.version);
}

/**
 * Whether any key version lives in the custom key store's token (such a key store cannot be deleted). A destroyed
 * version (its token object id cleared) keeps its store id for DescribeKey but no longer holds the store.
 */
export async function anyInKeyStore(db: Db, customKeyStoreId: string): Promise<boolean> {
  const row = await db
    .selectFrom('key_versions')
    .select('key_id')
    .where('custom_key_store_id', '=', customKeyStoreId)
    .where('token_object_id', 'is not', null)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Whether any live key version is an HSM key object in the root of trust's own token (no custom key store). */
export async function anyOnRootToken(db: Db): Promise<boolean> {
  const row = await db
    .selectFrom('key_versions')
    .select('key_id')
    .where('token_object_id', 'is not', null)
    .where('custom_key_store_id', 'is', null)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
