// Worker thread that commits audit batches on its own SQLite connection, so the fsync of a durable commit
// (better-sqlite3 is synchronous) blocks this thread, not the server's event loop. Started by worker-sink.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { InternalError } from '@custos/contract';
import { openSqliteAuditAppender, type CountReservation, type UsageIncrement } from '../../store/index.js';
import type { AuditCheckpointRecord } from '../../store/repositories/audit.js';
import type { AuditEntry } from '../../store/types.js';
import { chainEntries } from './chain.js';
import { batchesToTake, unpackEntries } from './packed-entries.js';

/**
 * A batch of records (packEntries' form), a signed checkpoint of the head to keep (checkpoints.ts), encryption
 * counts to raise (service/counters.ts) or usage counts to add (service/usage/recorder.ts): whatever waits goes into
 * one transaction.
 */
interface Batch {
  readonly id: number;
  readonly packed?: unknown[];
  readonly checkpoint?: AuditCheckpointRecord;
  readonly reserve?: CountReservation[];
  readonly usage?: UsageIncrement[];
}

const port = parentPort;
// Loaded on the main thread by mistake, there is no port to answer on: fail loudly rather than hang the sink.
if (!port) throw new InternalError('sqlite-audit-worker.js runs as a worker thread only');

const { filename, chainKey, batchRecords } = workerData as {
  filename: string;
  chainKey: Uint8Array;
  /** A transaction takes waiting batches until it holds this many records (worker-sink.ts, WORKER_BATCH). */
  batchRecords: number;
};
const appender = openSqliteAuditAppender(filename);
/** Batches that arrived while the last transaction ran, oldest first: the next transaction takes them. */
let waiting: Batch[] = [];
let scheduled = false;

/**
 * Commits the waiting batches in one transaction, in arrival order, with the checkpoints sent meanwhile (no fsync of
 * their own, and none on the event loop), and answers them in one message. A transaction takes batches until it
 * holds `batchRecords` records; the rest wait for the next one, which starts at once, so that the first callers get
 * their answer while the others commit.
 */
function commitWaiting(): void {
  scheduled = false;
  const taken = batchesToTake(waiting, batchRecords);
  const batches = waiting.slice(0, taken);
  waiting = waiting.slice(taken);
  if (waiting.length > 0) schedule();
  try {
    const entries: AuditEntry[] = [];
    const checkpoints: AuditCheckpointRecord[] = [];
    const reservations: CountReservation[] = [];
    const usage: UsageIncrement[] = [];
    const counts = batches.map((batch) => {
      if (batch.checkpoint) checkpoints.push(batch.checkpoint);
      for (const reservation of batch.reserve ?? []) reservations.push(reservation);
      for (const increment of batch.usage ?? []) usage.push(increment);
      if (!batch.packed) return 0;
      const unpacked = unpackEntries(batch.packed);
      for (const entry of unpacked) entries.push(entry);
      return unpacked.length;
    });
    let hashes: string[] = [];
    const { firstSeq, tops, usageError } = appender.append(
      (head) => {
        const chained = chainEntries(head, entries, chainKey);
        hashes = chained.map((entry) => entry.hash);
        return chained;
      },
      { checkpoints, reservations, usage },
    );
    // Usage counts that could not be added fail their own batches only (the recorder keeps them for its next flush).
    const usageFailure = usageError === undefined ? undefined : failureOf(usageError);
    // Each caller's receipt names its record's seq and hash: its batch's first seq and its hashes, in order; a
    // reservation's caller gets its versions' new counts.
    let offset = 0;
    let reserved = 0;
    port?.postMessage(
      batches.map((batch, i) => {
        if (usageFailure && batch.usage) return { id: batch.id, ok: false, ...usageFailure };
        const count = counts[i] ?? 0;
        const many = batch.reserve?.length ?? 0;
        const reply = {
          id: batch.id,
          ok: true,
          firstSeq: firstSeq + offset,
          hashes: hashes.slice(offset, offset + count),
          tops: many > 0 ? tops.slice(reserved, reserved + many) : undefined,
        };
        offset += count;
        reserved += many;
        return reply;
      }),
    );
  } catch (error) {
    const failure = failureOf(error);
    port?.postMessage(batches.map((batch) => ({ id: batch.id, ok: false, ...failure })));
  }
}

/**
 * An error as a reply carries it: its message and code (SQLITE_FULL and the like: the service maps a full disk to
 * UNAVAILABLE by this code, store/dialect.ts).
 */
function failureOf(error: unknown): { message: string; code: unknown } {
  const message = error instanceof Error ? error.message : String(error);
  return { message, code: (error as { code?: unknown } | null)?.code };
}

port.on('message', (batch: Batch | 'close') => {
  if (batch === 'close') {
    while (waiting.length > 0) commitWaiting();
    appender.close();
    process.exit(0);
  }
  waiting.push(batch);
  schedule();
});

/** Commits at the end of this turn: every message already delivered is waiting by then. */
function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(commitWaiting);
}
port.postMessage({ ready: true });
