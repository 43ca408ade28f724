// Repository for the audit log: persists chained entries as they are given, reads them back, reads the head under lock.
// Must not import service or api; the chain's format (hash, genesis, verification) is service/audit/chain.ts's.
import { InternalError } from '@custos/contract';
import { sql } from 'kysely';
import { dialectOf } from '../dialect.js';
import type { AuditCheckpointRow, AuditRow } from '../schema/index.js';
import type { Db } from '../store.js';
import type { AuditChainScheme, AuditOutcome, AuditRecord, ChainedAuditEntry } from '../types.js';
import { num, toDate } from './convert.js';

/** PostgreSQL advisory lock key serialising appends across nodes ('audit'). */
const PG_AUDIT_LOCK = 0x6175646974;
/** Rows per INSERT statement (11 bound values each, well under SQLite's variable limit). */
const ROWS_PER_INSERT = 500;

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

/** One row → the entry exactly as stored (time in ms, details as text), for the chain's verification. */
function toChained(row: AuditRow): ChainedAuditEntry & { readonly seq: number } {
  return {
    seq: num(row.seq),
    time: num(row.time),
    principal: row.principal,
    operation: row.operation,
    keyId: row.key_id,
    keyVersion: row.key_version,
    outcome: row.outcome as AuditOutcome,
    errorCode: row.error_code,
    requestId: row.request_id,
    details: row.details,
    prevHash: row.prev_hash,
    hash: row.hash,
    chain: row.chain as AuditChainScheme,
  };
}

/**
 * The row for one entry (fields written out: a spread with extra fields is slow here). Scheme 1 is the column's
 * default and is left to it, so that tests can build an old-format log in a database from before migration 005.
 */
function toRow(e: ChainedAuditEntry) {
  const row = {
    time: e.time,
    principal: e.principal,
    operation: e.operation,
    key_id: e.keyId,
    key_version: e.keyVersion,
    outcome: e.outcome,
    error_code: e.errorCode,
    request_id: e.requestId,
    details: e.details,
    prev_hash: e.prevHash,
    hash: e.hash,
    chain: undefined as AuditChainScheme | undefined,
  };
  if (e.chain !== 1) row.chain = e.chain;
  return row;
}

/**
 * The newest entry's hash (null for an empty log), read under a lock that holds until the transaction ends, so
 * the caller can chain after it and insert without another writer in between. Throws INTERNAL outside a
 * transaction (assertTransaction, STYLE §6).
 * @example const head = await audit.lockedHead(tx); await audit.insert(tx, chainEntries(head, entries));
 */
export async function lockedHead(db: Db): Promise<string | null> {
  if (!db.isTransaction) throw new InternalError('audit append must run inside a transaction');
  // SQLite: the transaction owns the only connection (and the write lock once it writes).
  // PostgreSQL: two nodes could read the same head; an advisory lock serialises them.
  if (dialectOf(db) === 'postgres') await sql`select pg_advisory_xact_lock(${PG_AUDIT_LOCK})`.execute(db);
  const row = await db.selectFrom('audit_log').select('hash').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return row?.hash ?? null;
}

/** Inserts chained entries in order, with as few statements as possible, and returns them as records. */
export async function insert(db: Db, entries: readonly ChainedAuditEntry[]): Promise<AuditRecord[]> {
  const records: AuditRecord[] = [];
  for (let i = 0; i < entries.length; i += ROWS_PER_INSERT) {
    const rows = entries.slice(i, i + ROWS_PER_INSERT).map(toRow);
    const inserted = await db.insertInto('audit_log').values(rows).returningAll().execute();
    records.push(...inserted.map(toRecord).sort((a, b) => a.seq - b.seq));
  }
  return records;
}

/**
 * `insert` for group commit: the same rows, reading back only their seqs (in the entries' order: the appends are
 * serialised by `lockedHead`'s lock, so the database assigns them ascending as the rows are inserted).
 */
export async function insertBatch(db: Db, entries: readonly ChainedAuditEntry[]): Promise<number[]> {
  const seqs: number[] = [];
  for (let i = 0; i < entries.length; i += ROWS_PER_INSERT) {
    const rows = await db
      .insertInto('audit_log')
      .values(entries.slice(i, i + ROWS_PER_INSERT).map(toRow))
      .returning('seq')
      .execute();
    for (const row of rows.map((r) => num(r.seq)).sort((a, b) => a - b)) seqs.push(row);
  }
  return seqs;
}

export interface AuditQuery {
  /** Only records with a greater seq (the last seq of the previous page). */
  readonly after?: number | undefined;
  readonly limit: number;
  readonly keyId?: string | undefined;
  readonly principal?: string | undefined;
  readonly operation?: string | undefined;
  /** The newest `limit` records instead of the oldest (still returned in ascending seq order). */
  readonly newest?: boolean | undefined;
}

/** Records in ascending seq order, filtered; page with `after` = last seq seen. */
export async function list(db: Db, query: AuditQuery): Promise<AuditRecord[]> {
  let q = db.selectFrom('audit_log').selectAll();
  if (query.after !== undefined) q = q.where('seq', '>', query.after);
  if (query.keyId !== undefined) q = q.where('key_id', '=', query.keyId);
  if (query.principal !== undefined) q = q.where('principal', '=', query.principal);
  if (query.operation !== undefined) q = q.where('operation', '=', query.operation);
  const rows = await q
    .orderBy('seq', query.newest ? 'desc' : 'asc')
    .limit(Math.max(0, Math.trunc(query.limit)))
    .execute();
  if (query.newest) rows.reverse();
  return rows.map(toRecord);
}

/** Up to `limit` entries after seq `after` (from the start when undefined), in seq order, exactly as stored. */
export async function listChained(
  db: Db,
  after: number | undefined,
  limit: number,
): Promise<(ChainedAuditEntry & { readonly seq: number })[]> {
  let q = db.selectFrom('audit_log').selectAll();
  if (after !== undefined) q = q.where('seq', '>', after);
  const rows = await q.orderBy('seq').limit(limit).execute();
  return rows.map(toChained);
}

/** Up to `limit` entries with seq after `after` (from the start when undefined) and at most `through`, as stored. */
export async function listChainedThrough(
  db: Db,
  after: number | undefined,
  through: number,
  limit: number,
): Promise<(ChainedAuditEntry & { readonly seq: number })[]> {
  let q = db.selectFrom('audit_log').selectAll().where('seq', '<=', through);
  if (after !== undefined) q = q.where('seq', '>', after);
  const rows = await q.orderBy('seq').limit(limit).execute();
  return rows.map(toChained);
}

/** The newest record's seq and hash (null for an empty log), read without a lock (for checkpoints). */
export async function head(db: Db): Promise<{ readonly seq: number; readonly hash: string } | null> {
  const row = await db
    .selectFrom('audit_log')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { seq: num(row.seq), hash: row.hash } : null;
}

/** The record with this seq exactly as stored, or undefined. */
export async function getChained(
  db: Db,
  seq: number,
): Promise<(ChainedAuditEntry & { readonly seq: number }) | undefined> {
  const row = await db.selectFrom('audit_log').selectAll().where('seq', '=', seq).executeTakeFirst();
  return row && toChained(row);
}

/** A signed head of the chain (service/audit/checkpoints.ts signs it; the store keeps it as given). */
export interface AuditCheckpointRecord {
  readonly seq: number;
  readonly hash: string;
  /** Unix ms. */
  readonly time: number;
  /** Base64 Ed25519 signature. */
  readonly signature: string;
}

/** Keeps a checkpoint; one per seq (two nodes signing the same head keep the first). */
export async function insertCheckpoint(db: Db, checkpoint: AuditCheckpointRecord): Promise<void> {
  await db
    .insertInto('audit_checkpoints')
    .values(checkpoint)
    .onConflict((oc) => oc.column('seq').doNothing())
    .execute();
}

/** The checkpoints with seq from `from` to `to` (inclusive), in seq order. */
export async function checkpointsBetween(db: Db, from: number, to: number): Promise<AuditCheckpointRecord[]> {
  const rows = await db
    .selectFrom('audit_checkpoints')
    .selectAll()
    .where('seq', '>=', from)
    .where('seq', '<=', to)
    .orderBy('seq')
    .execute();
  return rows.map(toCheckpoint);
}

/** The checkpoint with the greatest seq, or undefined. */
export async function latestCheckpoint(db: Db): Promise<AuditCheckpointRecord | undefined> {
  const row = await db.selectFrom('audit_checkpoints').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return row && toCheckpoint(row);
}

function toCheckpoint(row: AuditCheckpointRow): AuditCheckpointRecord {
  return { seq: num(row.seq), hash: row.hash, time: num(row.time), signature: row.signature };
}

/** The checkpoint at this seq, or undefined. */
export async function checkpointAt(db: Db, seq: number): Promise<AuditCheckpointRecord | undefined> {
  const row = await db.selectFrom('audit_checkpoints').selectAll().where('seq', '=', seq).executeTakeFirst();
  return row && toCheckpoint(row);
}

/** The newest checkpoint whose record is older than `beforeMs` (and still in the log), or undefined. */
export async function checkpointBefore(db: Db, beforeMs: number): Promise<AuditCheckpointRecord | undefined> {
  const row = await db
    .selectFrom('audit_checkpoints')
    .innerJoin('audit_log', 'audit_log.seq', 'audit_checkpoints.seq')
    .selectAll('audit_checkpoints')
    .where('audit_log.time', '<', beforeMs)
    .orderBy('audit_checkpoints.seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && toCheckpoint(row);
}

/** Deletes every record with a smaller seq; returns how many. */
export async function deleteBefore(db: Db, seq: number): Promise<number> {
  const result = await db.deleteFrom('audit_log').where('seq', '<', seq).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The oldest record exactly as stored, or undefined for an empty log. */
export async function firstChained(db: Db): Promise<(ChainedAuditEntry & { readonly seq: number }) | undefined> {
  const [first] = await listChained(db, undefined, 1);
  return first;
}

/** The details (as stored) of every allowed record of `operation` after seq `after`. */
export async function detailsOf(db: Db, operation: string, after: number): Promise<(string | null)[]> {
  const rows = await db
    .selectFrom('audit_log')
    .select('details')
    .where('operation', '=', operation)
    .where('outcome', '=', 'allowed')
    .where('seq', '>', after)
    .execute();
  return rows.map((r) => r.details);
}
