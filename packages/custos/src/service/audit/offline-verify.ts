// Offline verification of an audit export (`custos audit export` → JSON lines), without a server: at level
// "signatures" with the pinned checkpoint public key only, at level "chain" with the `audit-chain` key derived from
// the root key file too. Reads the file twice (checkpoints, then records) so that a log of any size is never held in
// memory. Must not import api or store; the chain's format is chain.ts's, the checkpoint statement checkpoints.ts's.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { KeyObject } from 'node:crypto';
import { openFileRootOfTrust } from '../../keystore/file/index.js';
import type { ChainedAuditEntry } from '../../store/index.js';
import { deriveChainKey } from './audit-keys.js';
import { GENESIS_HASH, linksAfter, type ChainKey } from './chain.js';
import { checkpointSigned } from './checkpoints.js';

/** The first line's `format`: the export file layout, version 1 (a released layout is never edited). */
const EXPORT_FORMAT = 'custos-audit-export/v1';

/**
 * What was checked. "signatures": every checkpoint is signed by the pinned key, the records' seqs are consecutive,
 * each record's prevHash is the previous record's hash, each checkpointed record has the signed hash, and the last
 * record is checkpointed; a record's content between checkpoints is not authenticated (its keyed hash needs the
 * root key). "chain": all of that, and every record's hash recomputed under the `audit-chain` key.
 */
type VerificationLevel = 'signatures' | 'chain';

/** The outcome: counts and the covered range, or the first problem with its line (1-based) in the file. */
export type ExportVerification =
  | {
      readonly ok: true;
      readonly level: VerificationLevel;
      readonly records: number;
      readonly checkpoints: number;
      readonly first: number;
      readonly last: number;
    }
  | { readonly ok: false; readonly level: VerificationLevel; readonly line: number; readonly reason: string };

interface Checkpoint {
  readonly seq: number;
  readonly hash: string;
  readonly time: number;
  readonly signature: string;
}

type Entry = ChainedAuditEntry & { readonly seq: number };

class Bad extends Error {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(reason);
  }
}

async function* lines(file: string): AsyncGenerator<{ n: number; value: Record<string, unknown> }> {
  const input = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  for await (const text of input) {
    n++;
    if (text.length === 0) continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new Bad(n, 'the line is not JSON');
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      throw new Bad(n, 'the line is not an object');
    yield { n, value: value as Record<string, unknown> };
  }
}

const isInt = (v: unknown): v is number => Number.isSafeInteger(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isStrOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';

function toCheckpoint(n: number, v: Record<string, unknown>): Checkpoint {
  const { seq, hash, time, signature } = v;
  if (!isInt(seq) || !isStr(hash) || !isInt(time) || !isStr(signature)) throw new Bad(n, 'malformed checkpoint line');
  return { seq, hash, time, signature };
}

function toEntry(n: number, v: Record<string, unknown>): Entry {
  const { seq, time, principal, operation, keyId, keyVersion, outcome, errorCode, requestId, details } = v;
  const { prevHash, hash, chain } = v;
  if (
    !isInt(seq) ||
    !isInt(time) ||
    !isStr(principal) ||
    !isStr(operation) ||
    !isStrOrNull(keyId) ||
    !(keyVersion === null || isInt(keyVersion)) ||
    !isStr(outcome) ||
    !isStrOrNull(errorCode) ||
    !isStr(requestId) ||
    !isStrOrNull(details) ||
    !isStr(prevHash) ||
    !isStr(hash) ||
    (chain !== 1 && chain !== 2)
  )
    throw new Bad(n, 'malformed record line');
  return {
    seq,
    time,
    principal,
    operation,
    keyId,
    keyVersion,
    outcome: outcome as Entry['outcome'],
    errorCode,
    requestId,
    details,
    prevHash,
    hash,
    chain,
  };
}

/** Pass 1: the header and the checkpoints, each signature checked against the pinned key. */
async function readCheckpoints(file: string, publicKey: KeyObject): Promise<Map<number, Checkpoint>> {
  const checkpoints = new Map<number, Checkpoint>();
  let header = false;
  for await (const { n, value } of lines(file)) {
    if (!header) {
      if (value.type !== 'export' || value.format !== EXPORT_FORMAT)
        throw new Bad(n, `the file does not start with a ${EXPORT_FORMAT} header`);
      header = true;
      continue;
    }
    if (value.type === 'record') continue;
    if (value.type !== 'checkpoint') throw new Bad(n, `unknown line type ${JSON.stringify(value.type)}`);
    const c = toCheckpoint(n, value);
    if (!checkpointSigned(publicKey, c))
      throw new Bad(n, `checkpoint ${String(c.seq)} is not signed by the pinned key`);
    if (checkpoints.has(c.seq) && checkpoints.get(c.seq)?.hash !== c.hash)
      throw new Bad(n, `two signed checkpoints for record ${String(c.seq)} disagree`);
    checkpoints.set(c.seq, c);
  }
  if (!header) throw new Bad(0, 'the file is empty');
  return checkpoints;
}

/** Pass 2: the records in order, linked, against the checkpoints (and recomputed with the chain key). */
async function checkRecords(
  file: string,
  checkpoints: Map<number, Checkpoint>,
  chainKey: ChainKey,
): Promise<{ records: number; first: number; last: number }> {
  let prev: Entry | undefined;
  let first: Entry | undefined;
  let keyed = false;
  let count = 0;
  const seen = new Set<number>();
  let lastLine = 0;
  for await (const { n, value } of lines(file)) {
    lastLine = n;
    if (value.type !== 'record') continue;
    const r = toEntry(n, value);
    const at = `record ${String(r.seq)}`;
    if (prev === undefined) {
      first = r;
      // The first record follows genesis, or is a prune's anchor: then a signed checkpoint vouches for its hash.
      if (r.prevHash !== GENESIS_HASH && checkpoints.get(r.seq)?.hash !== r.hash)
        throw new Bad(
          n,
          `${at} does not follow genesis and no signed checkpoint names it (records before it are missing)`,
        );
    } else {
      if (r.seq !== prev.seq + 1)
        throw new Bad(n, `${at} follows record ${String(prev.seq)}: records are missing or out of order`);
      if (r.prevHash !== prev.hash) throw new Bad(n, `${at} does not link to record ${String(prev.seq)}`);
    }
    const signed = checkpoints.get(r.seq);
    if (signed && signed.hash !== r.hash) throw new Bad(n, `${at} does not have the hash its signed checkpoint gives`);
    if (signed) seen.add(r.seq);
    if (chainKey !== null) {
      // The first record's own hash is checked too; its prevHash is taken as given (genesis, or the anchor's).
      if ((keyed && r.chain === 1) || !linksAfter(r.prevHash, r, chainKey))
        throw new Bad(n, `${at} does not match its hash under the chain key (it was edited)`);
      keyed ||= r.chain !== 1;
    }
    prev = r;
    count++;
  }
  if (!first || !prev) throw new Bad(lastLine, 'the file holds no records');
  for (const seq of checkpoints.keys())
    if (!seen.has(seq))
      throw new Bad(lastLine, `signed checkpoint ${String(seq)} names a record the file does not hold`);
  // Only a checkpointed last record proves the tail was not cut.
  if (!checkpoints.has(prev.seq))
    throw new Bad(lastLine, `the last record (${String(prev.seq)}) is not covered by a signed checkpoint`);
  return { records: count, first: first.seq, last: prev.seq };
}

/**
 * Verifies an export file against the pinned checkpoint key (and, when given, the chain key: level "chain").
 * @example const r = await verifyExportFile('audit.jsonl', createPublicKey(pem), null); if (!r.ok) fail(r.reason);
 */
export async function verifyExportFile(
  file: string,
  publicKey: KeyObject,
  chainKey: ChainKey,
): Promise<ExportVerification> {
  const level: VerificationLevel = chainKey === null ? 'signatures' : 'chain';
  try {
    const checkpoints = await readCheckpoints(file, publicKey);
    const result = await checkRecords(file, checkpoints, chainKey);
    return { ok: true, level, ...result, checkpoints: checkpoints.size };
  } catch (error) {
    if (error instanceof Bad) return { ok: false, level, line: error.line, reason: error.message };
    throw error;
  }
}

/**
 * The chain key from a root key file (operator-only: whoever holds it can also forge the log), derived as the
 * server derives it: HKDF-SHA-256 of the root key with info `audit-chain` (keystore/file). Never logged.
 * @example const key = await chainKeyFromRootKeyFile({ path: 'data/root.key' });
 */
export async function chainKeyFromRootKeyFile(options: { path: string; passphrase?: string }): Promise<Uint8Array> {
  const root = await openFileRootOfTrust(options);
  try {
    return await deriveChainKey(root);
  } finally {
    await root.close();
  }
}
