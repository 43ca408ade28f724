// Repository for the audit log: append-only, hash-chained records (AuditRecord) and chain verification.
// Must not import service or api; rows are mapped to records here and never returned.
import { hash } from 'node:crypto';
import { InternalError } from '@custos/contract';
import { sql } from 'kysely';
import { dialectOf } from '../dialect.js';
import type { AuditRow } from '../schema/index.js';
import type { Db } from '../store.js';
import type { AuditEntry, AuditOutcome, AuditRecord } from '../types.js';
import { ms, num, toDate } from './convert.js';

/** The prevHash of the first record. */
export const GENESIS_HASH = '0'.repeat(64);
/** PostgreSQL advisory lock key serialising appends across nodes ('audit'). */
const PG_AUDIT_LOCK = 0x6175646974;
const VERIFY_BATCH = 500;

/**
 * JSON with object keys sorted at every level: one text per value, whatever the insertion order. The replacer
 * sees each value after its toJSON, so this is the sorted JSON of the value's JSON form (undefined dropped).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, sortedKeys);
}

function sortedKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  // Boxed primitives are serialised as their primitive after the replacer has seen them.
  if (value instanceof Number || value instanceof String || value instanceof Boolean) return value;
  const obj = value as Record<string, unknown>;
  // fromEntries defines own properties: a "__proto__" key stays a key.
  return Object.fromEntries(
    Object.keys(obj)
      .sort()
      .map((k) => [k, obj[k]]),
  );
}

/** Details as stored and hashed: canonical JSON of their JSON form (toJSON applied, undefined dropped). */
function detailsText(details: Record<string, unknown> | null): string | null {
  return details === null ? null : canonicalJson(details);
}

/**
 * hash = SHA-256 hex of prevHash followed by the canonical JSON of the entry, fields in this fixed
 * order, time as an ISO 8601 string, details as their canonical JSON text.
 */
function chainHash(prevHash: string, e: Omit<AuditRow, 'seq' | 'prev_hash' | 'hash'>): string {
  const canonical = JSON.stringify([
    new Date(num(e.time)).toISOString(),
    e.principal,
    e.operation,
    e.key_id,
    e.key_version,
    e.outcome,
    e.error_code,
    e.request_id,
    e.details,
  ]);
  return hash('sha256', prevHash + canonical, 'hex');
}

/** The mapper: one row → one AuditRecord. */
function toRecord(row: AuditRow): AuditRecord {
  return {
    seq: num(row.seq),
    time: toDate(row.time),
    principal: row.principal,
    operation: row.operation,
    keyId: row.key_id,
    keyVersion: row.key_version,
    outcome: row.outcome as AuditOutcome,
    errorCode: row.error_code,
    requestId: row.request_id,
    details: row.details === null ? null : (JSON.parse(row.details) as Record<string, unknown>),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** Reads the chain head under a lock that holds until the transaction ends (assertTransaction, STYLE §6). */
async function lockedHead(db: Db): Promise<string> {
  if (!db.isTransaction) throw new InternalError('audit append must run inside a transaction');
  // SQLite: the transaction owns the only connection (and the write lock once it writes).
  // PostgreSQL: two nodes could read the same head; an advisory lock serialises them.
  if (dialectOf(db) === 'postgres') await sql`select pg_advisory_xact_lock(${PG_AUDIT_LOCK})`.execute(db);
  const row = await db.selectFrom('audit_log').select('hash').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return row?.hash ?? GENESIS_HASH;
}

/** The row for `entry` chained after `prevHash` (fields written out: a spread with extra fields is slow here). */
export function chainedRow(prevHash: string, entry: AuditEntry) {
  const row = {
    time: ms(entry.time),
    principal: entry.principal,
    operation: entry.operation,
    key_id: entry.keyId,
    key_version: entry.keyVersion,
    outcome: entry.outcome,
    error_code: entry.errorCode,
    request_id: entry.requestId,
    details: detailsText(entry.details),
    prev_hash: prevHash,
    hash: '',
  };
  row.hash = chainHash(prevHash, row); // reads the entry's fields by name, never prev_hash or hash
  return row;
}

/** Rows per INSERT statement (11 bound values each, well under SQLite's variable limit). */
const ROWS_PER_INSERT = 500;

/**
 * Appends one record to the chain. Must run inside a transaction (throws INTERNAL otherwise), so
 * reading the head and inserting are atomic; pass the transaction's handle.
 * @example await store.transaction((tx) => audit.append(tx, entry));
 */
export async function append(db: Db, entry: AuditEntry): Promise<AuditRecord> {
  const [record] = await appendMany(db, [entry]);
  return record!;
}

/**
 * Appends several records in order, reading the head once and inserting them with as few statements as possible.
 * Same transaction rule as `append`.
 */
export async function appendMany(db: Db, entries: readonly AuditEntry[]): Promise<AuditRecord[]> {
  return (await insertChain(db, entries, true)) as AuditRecord[];
}

/** `appendMany` for group commit: the same rows, without reading them back. */
export async function appendBatch(db: Db, entries: readonly AuditEntry[]): Promise<void> {
  await insertChain(db, entries, false);
}

async function insertChain(
  db: Db,
  entries: readonly AuditEntry[],
  returning: boolean,
): Promise<AuditRecord[] | undefined> {
  if (entries.length === 0) return [];
  let prevHash = await lockedHead(db);
  const rows = entries.map((entry) => {
    const row = chainedRow(prevHash, entry);
    prevHash = row.hash;
    return row;
  });
  const records: AuditRecord[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const insert = db.insertInto('audit_log').values(rows.slice(i, i + ROWS_PER_INSERT));
    if (!returning) {
      await insert.execute();
      continue;
    }
    const inserted = await insert.returningAll().execute();
    records.push(...inserted.map(toRecord).sort((a, b) => a.seq - b.seq));
  }
  return returning ? records : undefined;
}

export interface AuditQuery {
  /** Only records with a greater seq (the last seq of the previous page). */
  readonly after?: number | undefined;
  readonly limit: number;
  readonly keyId?: string | undefined;
  readonly principal?: string | undefined;
  readonly operation?: string | undefined;
}

/** Records in ascending seq order, filtered; page with `after` = last seq seen. */
export async function list(db: Db, query: AuditQuery): Promise<AuditRecord[]> {
  let q = db.selectFrom('audit_log').selectAll();
  if (query.after !== undefined) q = q.where('seq', '>', query.after);
  if (query.keyId !== undefined) q = q.where('key_id', '=', query.keyId);
  if (query.principal !== undefined) q = q.where('principal', '=', query.principal);
  if (query.operation !== undefined) q = q.where('operation', '=', query.operation);
  const rows = await q
    .orderBy('seq')
    .limit(Math.max(0, Math.trunc(query.limit)))
    .execute();
  return rows.map(toRecord);
}

export type ChainVerification =
  { readonly ok: true; readonly count: number } | { readonly ok: false; readonly brokenAt: number };

/**
 * Recomputes every hash in seq order. `brokenAt` is the seq of the first record whose prevHash
 * is not the previous record's hash (a record before it was deleted or rewritten) or whose hash
 * does not match its content (it was edited). Deleting the newest records is not detectable from
 * the chain alone: that needs the head anchored elsewhere.
 */
export async function verifyChain(db: Db): Promise<ChainVerification> {
  let expectedPrev = GENESIS_HASH;
  let count = 0;
  let after: number | undefined;
  for (;;) {
    let q = db.selectFrom('audit_log').selectAll();
    if (after !== undefined) q = q.where('seq', '>', after);
    const rows = await q.orderBy('seq').limit(VERIFY_BATCH).execute();
    for (const row of rows) {
      const seq = num(row.seq);
      if (row.prev_hash !== expectedPrev || chainHash(row.prev_hash, row) !== row.hash)
        return { ok: false, brokenAt: seq };
      expectedPrev = row.hash;
      after = seq;
      count++;
    }
    if (rows.length < VERIFY_BATCH) return { ok: true, count };
  }
}
