// Replayed rows: a row copied back from an earlier moment carries a valid MAC, so only the audit log can show that
// it is older than the last change the log recorded for it (docs/threat-model.md, "replay an older authentic row").
// Every state change commits its audit record in the same transaction; for a key, that record carries the key row's
// `updated_at` as committed (`keyRowAt`, key-service.ts). A key row whose `updated_at` is earlier than the newest
// `keyRowAt` the log holds for it was put back; so was a token or access key the log says was revoked whose row is
// not. Must not import api.
import * as repo from '../../store/repositories/index.js';
import type { Db } from '../../store/index.js';

/** Records read per query while scanning the log. */
const BATCH = 1000;

/** A row older than what the audit log says was last committed to it. */
export interface StaleRow {
  readonly table: 'keys' | 'api_tokens' | 'access_keys';
  readonly row: string;
  /** The seq of the audit record the row contradicts. */
  readonly seq: number;
}

interface Expectations {
  /** Key id → the newest keyRowAt (ms) and its record. */
  readonly keys: Map<string, { at: number; seq: number }>;
  readonly revokedTokens: Map<string, number>;
  readonly revokedAccessKeys: Map<string, number>;
}

function parseDetails(details: string | null): Record<string, unknown> | null {
  if (details === null) return null;
  try {
    const value: unknown = JSON.parse(details);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null; // the chain check reports an edited record; here it only says nothing
  }
}

async function readExpectations(db: Db): Promise<Expectations> {
  const expected: Expectations = { keys: new Map(), revokedTokens: new Map(), revokedAccessKeys: new Map() };
  for (let after: number | undefined; ;) {
    const records = await repo.audit.listChained(db, after, BATCH);
    for (const record of records) {
      after = record.seq;
      if (record.outcome !== 'allowed') continue;
      const details = parseDetails(record.details);
      if (details === null) continue;
      if (record.keyId !== null && typeof details.keyRowAt === 'number') {
        expected.keys.set(record.keyId, { at: details.keyRowAt, seq: record.seq });
      }
      if (record.operation === 'RevokeToken' && typeof details.tokenId === 'string') {
        expected.revokedTokens.set(details.tokenId, record.seq);
      }
      if (record.operation === 'RevokeAccessKey' && typeof details.accessKeyId === 'string') {
        expected.revokedAccessKeys.set(details.accessKeyId, record.seq);
      }
    }
    if (records.length < BATCH) return expected;
  }
}

/**
 * The key, token and access key rows the audit log shows to be older than their last recorded change (a row
 * deleted since is not reported here: deleting denies service, it grants nothing). Reads every audit record
 * still in the log: records pruned away no longer vouch for anything.
 */
export async function findStaleRows(db: Db): Promise<StaleRow[]> {
  const expected = await readExpectations(db);
  const stale: StaleRow[] = [];
  for (const [keyId, { at, seq }] of expected.keys) {
    const key = await repo.keys.get(db, keyId);
    if (key && key.updatedAt.getTime() < at) stale.push({ table: 'keys', row: keyId, seq });
  }
  for (const [tokenId, seq] of expected.revokedTokens) {
    const token = await repo.tokens.get(db, tokenId);
    if (token?.revokedAt === null) stale.push({ table: 'api_tokens', row: tokenId, seq });
  }
  for (const [accessKeyId, seq] of expected.revokedAccessKeys) {
    const accessKey = await repo.accessKeys.get(db, accessKeyId);
    if (accessKey?.revokedAt === null) stale.push({ table: 'access_keys', row: accessKeyId, seq });
  }
  return stale;
}
