// The audit log's hash chain, a released format: canonical encoding, hash, genesis, linking entries, verifying.
// Must not import api; the store persists the chained entries this module builds and never computes a hash.
import { hash } from 'node:crypto';
import type { AuditEntry, ChainedAuditEntry } from '../../store/index.js';

/** The prevHash of the first record. */
export const GENESIS_HASH = '0'.repeat(64);

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

/**
 * hash = SHA-256 hex of prevHash followed by the canonical JSON of the entry, fields in this fixed
 * order, time as an ISO 8601 string, details as their canonical JSON text (as stored).
 */
function chainHash(prevHash: string, e: Omit<ChainedAuditEntry, 'prevHash' | 'hash'>): string {
  const canonical = JSON.stringify([
    new Date(e.time).toISOString(),
    e.principal,
    e.operation,
    e.keyId,
    e.keyVersion,
    e.outcome,
    e.errorCode,
    e.requestId,
    e.details,
  ]);
  return hash('sha256', prevHash + canonical, 'hex');
}

/** The entry chained after `prevHash` (fields written out: a spread with extra fields is slow here). */
function chained(prevHash: string, entry: AuditEntry): ChainedAuditEntry {
  const link = {
    time: entry.time.getTime(),
    principal: entry.principal,
    operation: entry.operation,
    keyId: entry.keyId,
    keyVersion: entry.keyVersion,
    outcome: entry.outcome,
    errorCode: entry.errorCode,
    requestId: entry.requestId,
    details: entry.details === null ? null : canonicalJson(entry.details),
    prevHash,
    hash: '',
  };
  link.hash = chainHash(prevHash, link); // reads the entry's fields by name, never prevHash or hash
  return link;
}

/**
 * The entries, in order, chained after `head` (the newest stored hash; null for an empty log).
 * @example const head = await repo.audit.lockedHead(tx); await repo.audit.insert(tx, chainEntries(head, entries));
 */
export function chainEntries(head: string | null, entries: readonly AuditEntry[]): ChainedAuditEntry[] {
  let prevHash = head ?? GENESIS_HASH;
  return entries.map((entry) => {
    const link = chained(prevHash, entry);
    prevHash = link.hash;
    return link;
  });
}

/** Whether a stored entry follows `expectedPrev` and its hash matches its content. */
export function linksAfter(expectedPrev: string, stored: ChainedAuditEntry): boolean {
  return stored.prevHash === expectedPrev && chainHash(stored.prevHash, stored) === stored.hash;
}
