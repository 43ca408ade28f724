// The audit log's hash chain, a released format: canonical encoding, hash, genesis, linking entries, verifying.
// Scheme 1 (records before issue 12): SHA-256; scheme 2: HMAC-SHA-256 under the root-derived `audit-chain` key, so
// that nobody without the root key can recompute the chain after an edit. Must not import api; the store persists
// the chained entries this module builds and never computes a hash.
import { createHmac, hash } from 'node:crypto';
import type { AuditEntry, ChainedAuditEntry } from '../../store/index.js';

/**
 * The key new records are chained under (`RootOfTrust.deriveKey('audit-chain')`, 32 bytes), or null for scheme 1,
 * which only tests that build an old-format log and the verification of old records use. Never logged.
 */
export type ChainKey = Uint8Array | null;

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
 * hash = SHA-256 hex (scheme 1) or HMAC-SHA-256 hex under `key` (scheme 2) of prevHash followed by the canonical
 * JSON of the entry, fields in this fixed order, time as an ISO 8601 string, details as their canonical JSON text
 * (as stored). The scheme itself is not hashed: a record relabelled to the other scheme fails either way.
 */
function chainHash(
  prevHash: string,
  e: Omit<ChainedAuditEntry, 'prevHash' | 'hash' | 'chain'>,
  key: Uint8Array | null,
): string {
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
  if (key === null) return hash('sha256', prevHash + canonical, 'hex');
  return createHmac('sha256', key)
    .update(prevHash + canonical)
    .digest('hex');
}

/** The entry chained after `prevHash` (fields written out: a spread with extra fields is slow here). */
function chained(prevHash: string, entry: AuditEntry, key: ChainKey): ChainedAuditEntry {
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
    chain: key === null ? (1 as const) : (2 as const),
  };
  link.hash = chainHash(prevHash, link, key); // reads the entry's fields by name, never prevHash, hash or chain
  return link;
}

/**
 * The entries, in order, chained after `head` (the newest stored hash; null for an empty log) under `key`.
 * @example const head = await repo.audit.lockedHead(tx); await repo.audit.insert(tx, chainEntries(head, entries, key));
 */
export function chainEntries(head: string | null, entries: readonly AuditEntry[], key: ChainKey): ChainedAuditEntry[] {
  let prevHash = head ?? GENESIS_HASH;
  return entries.map((entry) => {
    const link = chained(prevHash, entry, key);
    prevHash = link.hash;
    return link;
  });
}

/**
 * Whether a stored entry follows `expectedPrev` and its hash matches its content under its scheme (scheme 2 needs
 * `key`: without it, a keyed record does not verify).
 */
export function linksAfter(expectedPrev: string, stored: ChainedAuditEntry, key: ChainKey): boolean {
  if (stored.prevHash !== expectedPrev) return false;
  if (stored.chain === 1) return chainHash(stored.prevHash, stored, null) === stored.hash;
  // Any other value read from the database is held to the keyed scheme.
  return key !== null && chainHash(stored.prevHash, stored, key) === stored.hash;
}
