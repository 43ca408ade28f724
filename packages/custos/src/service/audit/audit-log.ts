// Appending to and verifying the audit log: chain.ts's format over the store's audit repository.
// Must not import api. Appends run inside a transaction, so reading the head and inserting are atomic.
import { InternalError } from '@custos/contract';
import { audit, type AuditEntry, type AuditRecord, type Db } from '../../store/index.js';
import { GENESIS_HASH, chainEntries, linksAfter, type ChainKey } from './chain.js';

/** Entries read per query while verifying. */
const VERIFY_BATCH = 500;

/**
 * Appends one record to the chain. Must run inside a transaction (throws INTERNAL otherwise); pass its handle.
 * @example await store.transaction((tx) => auditLog.append(tx, entry, chainKey));
 */
export async function append(db: Db, entry: AuditEntry, key: ChainKey): Promise<AuditRecord> {
  const [record] = await appendMany(db, [entry], key);
  if (!record) throw new InternalError('audit append returned no record');
  return record;
}

/** Appends several records in order, reading the head once. Same transaction rule as `append`. */
export async function appendMany(db: Db, entries: readonly AuditEntry[], key: ChainKey): Promise<AuditRecord[]> {
  if (entries.length === 0) return [];
  return audit.insert(db, chainEntries(await audit.lockedHead(db), entries, key));
}

/**
 * Where a committed batch went: its entries have seqs `firstSeq`, `firstSeq + 1`, … and these hashes, in order (what
 * each caller's receipt names; the callers of one batch share this one object and know their index).
 */
export interface CommittedBatch {
  readonly firstSeq: number;
  readonly hashes: readonly string[];
}

/**
 * `appendMany` for group commit and for a change's own record: the same rows, reading back only their seqs. Throws
 * INTERNAL (rolling the transaction back) if the database did not number them consecutively, which the append
 * lock rules out.
 */
export async function appendBatch(db: Db, entries: readonly AuditEntry[], key: ChainKey): Promise<CommittedBatch> {
  if (entries.length === 0) return { firstSeq: 0, hashes: [] };
  const chained = chainEntries(await audit.lockedHead(db), entries, key);
  const seqs = await audit.insertBatch(db, chained);
  const firstSeq = seqs[0] ?? 0;
  if (seqs.length !== chained.length || seqs.some((seq, i) => seq !== firstSeq + i))
    throw new InternalError('the audit log numbered a batch out of order');
  return { firstSeq, hashes: chained.map((entry) => entry.hash) };
}

export type ChainVerification =
  { readonly ok: true; readonly count: number } | { readonly ok: false; readonly brokenAt: number };

/** A trusted point of the chain to verify from: the record `seq` (not itself checked) had `hash`. */
export interface ChainAnchor {
  readonly seq: number;
  readonly hash: string;
  /** Whether that record was keyed (chain 2): then no SHA-256 record may follow. */
  readonly keyed: boolean;
}

/**
 * Recomputes every hash in seq order (after `from`, when given). `brokenAt` is the seq of the first record whose prevHash
 * is not the previous record's hash (a record before it was deleted or rewritten), whose hash
 * does not match its content under its scheme (it was edited), or that is an unkeyed (scheme 1) record after the
 * first keyed one (someone without the key re-chained the tail with SHA-256). Deleting the newest records is not
 * detectable from the chain alone: that needs the head anchored elsewhere (checkpoints).
 */
export async function verifyChain(db: Db, key: ChainKey, from?: ChainAnchor): Promise<ChainVerification> {
  let expectedPrev = from?.hash ?? GENESIS_HASH;
  let count = 0;
  let keyed = from?.keyed ?? false;
  let after: number | undefined = from?.seq;
  for (;;) {
    const stored = await audit.listChained(db, after, VERIFY_BATCH);
    for (const entry of stored) {
      if ((keyed && entry.chain === 1) || !linksAfter(expectedPrev, entry, key))
        return { ok: false, brokenAt: entry.seq };
      keyed ||= entry.chain !== 1;
      expectedPrev = entry.hash;
      after = entry.seq;
      count++;
    }
    if (stored.length < VERIFY_BATCH) return { ok: true, count };
  }
}
