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

/** `appendMany` for group commit: the same rows, without reading them back. */
export async function appendBatch(db: Db, entries: readonly AuditEntry[], key: ChainKey): Promise<void> {
  if (entries.length === 0) return;
  await audit.insertBatch(db, chainEntries(await audit.lockedHead(db), entries, key));
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
