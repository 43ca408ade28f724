// Audit checkpoints: the chain's head (seq, hash, time) signed with an Ed25519 key whose seed is
// deriveKey('audit-signing'), kept in `audit_checkpoints` and appended (one JSON line, fsync) to a file outside the
// database; and the start-up check of the log against the last checkpoint. Must not import api.
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import { exposeSecret } from '../../core/secret-bytes.js';
import type { RootOfTrust } from '../../keystore/root-of-trust.js';
import { audit, type Db, type Store } from '../../store/index.js';
import type { Logger } from '../context.js';
import { verifyChain, type ChainVerification } from './audit-log.js';
import { GENESIS_HASH, type ChainKey } from './chain.js';

type AuditCheckpointRecord = audit.AuditCheckpointRecord;

/** How often the head is signed: every `everyRecords` records or `everyMs` ms, whichever comes first. */
export interface CheckpointSettings {
  /** The file checkpoints are appended to (one JSON line each); default `<dataDir>/audit-checkpoints`. */
  readonly file: string;
  /** Default 1000. */
  readonly everyRecords: number;
  /** Default 60 000; at most 60 000 (issue 12: a minute at most). */
  readonly everyMs: number;
}

export const DEFAULT_CHECKPOINT_EVERY_RECORDS = 1000;
export const MAX_CHECKPOINT_INTERVAL_MS = 60_000;

/** RFC 8410 PKCS#8 prefix of an Ed25519 private key: the 32-byte seed follows. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The checkpoint signing key pair, from `deriveKey('audit-signing')` (the seed is wiped here). */
export async function deriveSigningKey(
  rootOfTrust: RootOfTrust,
): Promise<{ readonly privateKey: KeyObject; readonly publicKey: KeyObject }> {
  const seed = await rootOfTrust.deriveKey('audit-signing');
  const der = Buffer.concat([ED25519_PKCS8_PREFIX, exposeSecret(seed)]);
  try {
    const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    return { privateKey, publicKey: createPublicKey(privateKey) };
  } finally {
    der.fill(0);
    seed.wipe();
  }
}

/** The signed text: a label, then seq, hash and time, one per line. */
function statement(c: Omit<AuditCheckpointRecord, 'signature'>): Buffer {
  return Buffer.from(`custos/audit-checkpoint/v1\n${String(c.seq)}\n${c.hash}\n${String(c.time)}`);
}

/** A checkpoint of the head `seq`/`hash` at `time`. */
function signCheckpoint(privateKey: KeyObject, head: Omit<AuditCheckpointRecord, 'signature'>): AuditCheckpointRecord {
  return { ...head, signature: sign(null, statement(head), privateKey).toString('base64') };
}

/** Whether the checkpoint's signature is good under `publicKey` (also the offline verifier's check). */
export function checkpointSigned(publicKey: KeyObject, c: AuditCheckpointRecord): boolean {
  try {
    return verify(null, statement(c), publicKey, Buffer.from(c.signature, 'base64'));
  } catch {
    return false;
  }
}

/** Appends one JSON line and fsyncs it: a checkpoint that returned is on disk. */
async function appendLine(file: string, c: AuditCheckpointRecord): Promise<void> {
  const handle = await open(file, 'a', 0o600);
  try {
    await handle.write(`${JSON.stringify(c)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * The last checkpoint in the file (undefined if the file is absent or empty). A last line cut short by a crash is
 * skipped; any other line that does not parse is an error, reported as a mismatch by the caller.
 */
async function lastFileCheckpoint(file: string): Promise<AuditCheckpointRecord | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const lines = text.split('\n').filter((l) => l.length > 0);
  const complete = text.endsWith('\n') ? lines : lines.slice(0, -1);
  const last = complete.at(-1);
  if (last === undefined) return undefined;
  const parsed = JSON.parse(last) as Partial<AuditCheckpointRecord>;
  const { seq, hash, time, signature } = parsed;
  if (typeof seq !== 'number' || typeof hash !== 'string' || typeof time !== 'number' || typeof signature !== 'string')
    throw new Error('the last checkpoint line is malformed');
  return { seq, hash, time, signature };
}

/** Signs the head now and then, and at close. One instance per process (per node on PostgreSQL). */
export class Checkpointer {
  #sinceLast = 0;
  #lastSeq = -1;
  #running: Promise<void> = Promise.resolve();
  readonly #timer: NodeJS.Timeout;

  constructor(
    private readonly store: Store,
    private readonly privateKey: KeyObject,
    private readonly settings: CheckpointSettings,
    private readonly now: () => Date,
    private readonly logger: Logger,
    /**
     * Keeps a checkpoint's row elsewhere (the SQLite audit worker, off the event loop); false when it could not (its
     * sink is closed): then it is kept through `store`, as it is when this is absent.
     */
    private readonly insert?: (checkpoint: AuditCheckpointRecord) => Promise<boolean>,
  ) {
    this.#timer = setInterval(() => void this.checkpoint(), Math.min(settings.everyMs, MAX_CHECKPOINT_INTERVAL_MS));
    this.#timer.unref();
  }

  /** Called with the number of records each commit appended; checkpoints once `everyRecords` have gone by. */
  noteAppended(count: number): void {
    this.#sinceLast += count;
    if (this.#sinceLast >= this.settings.everyRecords) void this.checkpoint();
  }

  /** Signs and keeps the current head (nothing when it has not moved); failures are logged, never thrown. */
  checkpoint(): Promise<void> {
    this.#running = this.#running
      .then(() => this.#write())
      .catch((error: unknown) => {
        this.logger.error({ err: error }, 'audit checkpoint failed');
      });
    return this.#running;
  }

  /** Stops the timer and writes a last checkpoint (a clean shutdown). */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.checkpoint();
  }

  async #write(): Promise<void> {
    this.#sinceLast = 0;
    const head = await audit.head(this.store.db);
    if (!head || head.seq <= this.#lastSeq) return;
    const checkpoint = signCheckpoint(this.privateKey, { ...head, time: this.now().getTime() });
    if (!(await this.insert?.(checkpoint))) await audit.insertCheckpoint(this.store.db, checkpoint);
    await appendLine(this.settings.file, checkpoint);
    this.#lastSeq = head.seq;
  }
}

/** What the start-up check found: nothing wrong, or why the log does not match a checkpoint. */
export type CheckpointCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly seq: number; readonly where: 'file' | 'database'; readonly reason: string };

/**
 * Checks the log against one checkpoint: signed by us, its record present with its hash, and the chain after it
 * intact. A truncated tail, a deleted log and a re-chained edit each fail here.
 */
async function checkOne(
  db: Db,
  chainKey: ChainKey,
  publicKey: KeyObject,
  c: AuditCheckpointRecord,
  where: 'file' | 'database',
): Promise<CheckpointCheck> {
  const fail = (reason: string): CheckpointCheck => ({ ok: false, seq: c.seq, where, reason });
  if (!checkpointSigned(publicKey, c)) return fail('the checkpoint signature is not valid');
  const record = await audit.getChained(db, c.seq);
  if (!record) {
    // A checkpoint older than the log's verified prune anchor: its record was pruned, not lost.
    const first = await audit.firstChained(db);
    if (first && first.seq > c.seq && (await verifyLog(db, chainKey, publicKey)).ok) return { ok: true };
    return fail(`audit record ${String(c.seq)} is missing (the log was truncated or deleted)`);
  }
  if (record.hash !== c.hash) return fail(`audit record ${String(c.seq)} has another hash (the log was rewritten)`);
  const after = await verifyChain(db, chainKey, { seq: c.seq, hash: c.hash, keyed: record.chain !== 1 });
  if (!after.ok) return fail(`the chain after the checkpoint breaks at record ${String(after.brokenAt)}`);
  return { ok: true };
}

/**
 * The log checked against the last checkpoint in the file and the last in the database (each when present).
 * @example const check = await checkCheckpoints(store.db, chainKey, publicKey, file); if (!check.ok) refuse(check);
 */
export async function checkCheckpoints(
  db: Db,
  chainKey: ChainKey,
  publicKey: KeyObject,
  file: string,
): Promise<CheckpointCheck> {
  let inFile: AuditCheckpointRecord | undefined;
  try {
    inFile = await lastFileCheckpoint(file);
  } catch (error) {
    return { ok: false, seq: 0, where: 'file', reason: `the checkpoint file cannot be read: ${String(error)}` };
  }
  if (inFile) {
    const check = await checkOne(db, chainKey, publicKey, inFile, 'file');
    if (!check.ok) return check;
  }
  const inDb = await audit.latestCheckpoint(db);
  if (inDb) return checkOne(db, chainKey, publicKey, inDb, 'database');
  return { ok: true };
}

/**
 * The whole log's chain, from genesis or, after PruneAuditRecords, from its anchor: a first record that does not
 * follow genesis must carry a signed checkpoint (its seq and hash) and be named (`keptFrom`) by an allowed
 * PruneAuditRecords record of the verified chain after it; otherwise the records before it were deleted by someone
 * else, and the log is broken at it.
 */
export async function verifyLog(db: Db, chainKey: ChainKey, publicKey: KeyObject): Promise<ChainVerification> {
  const first = await audit.firstChained(db);
  if (!first || first.prevHash === GENESIS_HASH) return verifyChain(db, chainKey);
  const broken: ChainVerification = { ok: false, brokenAt: first.seq };
  const anchor = await audit.checkpointAt(db, first.seq);
  if (anchor?.hash !== first.hash || !checkpointSigned(publicKey, anchor)) return broken;
  const rest = await verifyChain(db, chainKey, { seq: first.seq, hash: first.hash, keyed: first.chain !== 1 });
  if (!rest.ok) return rest;
  const prunes = await audit.detailsOf(db, 'PruneAuditRecords', first.seq);
  const named = prunes.some((d) => d !== null && (JSON.parse(d) as { keptFrom?: unknown }).keptFrom === first.seq);
  return named ? { ok: true, count: rest.count + 1 } : broken;
}
