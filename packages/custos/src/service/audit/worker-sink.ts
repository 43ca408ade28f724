// Where audit batches are committed: in-process through the store (PostgreSQL, whose I/O is asynchronous anyway,
// and tests running from source), or in a worker thread with its own SQLite connection. Must not import api.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InternalError } from '@custos/contract';
import type { CountReservation, Store, UsageIncrement } from '../../store/index.js';
import type { AuditCheckpointRecord } from '../../store/repositories/audit.js';
import type { AuditEntry } from '../../store/types.js';
import { appendBatch, type CommittedBatch } from './audit-log.js';
import { packEntries } from './packed-entries.js';

export interface AuditSink {
  /** Resolves once every entry is committed, in order, as one transaction, with their seqs and hashes. */
  commit(entries: AuditEntry[]): Promise<CommittedBatch>;
  close(): Promise<void>;
  /**
   * How many batches may be handed over before the first has committed (default 1). More than one only where the
   * sink commits them in the order given (one worker thread, one connection).
   */
  readonly maxInFlight?: number;
  /**
   * Raises the versions' encryption counts (service/counters.ts) in the sink's next transaction, beside the records
   * it commits (no commit of their own, none on the event loop); resolves with the new counts, in order, undefined
   * for a version that is gone. Absent: the counters write through the store.
   */
  reserveCounts?(reservations: readonly CountReservation[]): Promise<(number | undefined)[]>;
  /**
   * Adds usage counts (service/usage/recorder.ts) in the sink's next transaction, beside the records it commits;
   * rejects, with nothing added, when they could not be (the records commit all the same). Absent: the recorder
   * writes through the store.
   */
  addUsage?(usage: readonly UsageIncrement[]): Promise<void>;
  /**
   * The most records the writer puts in one batch (default 1000). The worker thread's is small (WORKER_BATCH), so
   * that the event loop gets the first callers back and works on while the next batch commits.
   */
  readonly maxBatch?: number;
  /**
   * Keeps a signed checkpoint of the head (checkpoints.ts) with the next batch's transaction, off the event loop;
   * resolves true once it is committed, false if the sink is closed (the caller keeps it through the store).
   */
  insertCheckpoint?(checkpoint: AuditCheckpointRecord): Promise<boolean>;
}

/** Commits through `store` (PostgreSQL; tests from source), chaining under `chainKey`. */
export function inProcessSink(store: Store, chainKey: () => Promise<Uint8Array>): AuditSink {
  return {
    commit: async (entries) => {
      const key = await chainKey();
      return store.transaction((tx) => appendBatch(tx, entries, key));
    },
    close: async () => undefined,
  };
}

/**
 * Records per batch for the worker thread. The event loop and the worker take turns over one batch when it holds
 * every record in flight (64 in-process calls resume together, do their work together, and wait together for one
 * commit); two batches or more make a pipeline, one committing while the callers of the other work. Measured with
 * LocalKms, 64 calls in flight: 16 → 0.29–0.35× raw node:crypto, 32 → 0.34–0.41×, unbounded → 0.21–0.24×. The worker
 * still joins smaller batches into one transaction, up to this many records (sqlite-audit-worker.ts).
 */
export const WORKER_BATCH = 32;

const WORKER = new URL('./sqlite-audit-worker.js', import.meta.url);

/** The worker runs from the compiled package only (a .ts worker cannot start without a loader). */
export function workerSinkAvailable(): boolean {
  return existsSync(fileURLToPath(WORKER));
}

interface Reply {
  readonly id?: number;
  readonly ok?: boolean;
  readonly message?: string;
  /** The failure's error code (better-sqlite3's `SQLITE_FULL`, …), carried across the thread. */
  readonly code?: unknown;
  readonly ready?: boolean;
  /** A committed batch's first seq and hashes. */
  readonly firstSeq?: number;
  readonly hashes?: string[];
  /** A reservation's new encryption counts, in the order asked (undefined: the version is gone). */
  readonly tops?: (number | undefined)[];
}

/** Commits on a worker thread's SQLite connection; a worker that dies fails its batches and is restarted. */
export async function workerSink(filename: string, chainKey: Uint8Array): Promise<AuditSink> {
  let worker: Worker | undefined;
  let ready: Promise<void> | undefined;
  let nextId = 1;
  /** Set by close: nothing starts a worker again. */
  let closed = false;
  const pending = new Map<number, { resolve: (reply: Reply) => void; reject: (e: Error) => void }>();

  const start = (): Promise<void> => {
    // The key crosses as bytes in workerData (a copy for the worker's chain), never in a message or a log.
    const w = new Worker(WORKER, { workerData: { filename, chainKey, batchRecords: WORKER_BATCH } });
    worker = w;
    ready = new Promise<void>((resolve, reject) => {
      w.on('message', (message: Reply | readonly Reply[]) => {
        if (!Array.isArray(message)) {
          if ((message as Reply).ready) resolve();
          return;
        }
        // One message answers every batch the worker committed together, in order.
        for (const reply of message as readonly Reply[]) {
          if (reply.id === undefined) continue;
          const waiter = pending.get(reply.id);
          pending.delete(reply.id);
          if (reply.ok) waiter?.resolve(reply);
          else waiter?.reject(Object.assign(new Error(`audit commit failed: ${reply.message}`), { code: reply.code }));
        }
      });
      const fail = (error: Error) => {
        reject(error);
        if (worker === w) worker = undefined;
        for (const waiter of pending.values()) waiter.reject(error);
        pending.clear();
      };
      w.on('error', fail);
      w.on('exit', (code) => {
        fail(new Error(`audit worker exited with code ${code}`));
      });
    });
    return ready;
  };

  /** Posts a message (`make` given its id) to the worker; resolves with the worker's reply once it has committed. */
  const send = async (make: (id: number) => object): Promise<Reply> => {
    if (closed) throw new InternalError('the audit sink is closed');
    if (!worker) await start();
    await ready;
    const w = worker;
    // The worker died after it came up: the batches it held have failed, and this one fails the same way.
    if (!w) throw new InternalError('the audit worker exited');
    const id = nextId++;
    const done = new Promise<Reply>((resolve, reject) => {
      pending.set(id, { resolve, reject });
    });
    w.postMessage(make(id));
    return done;
  };

  await start();
  return {
    // The worker commits its messages in order, one at a time: the next batch waits there, not on this thread.
    maxInFlight: 2,
    maxBatch: WORKER_BATCH,
    async commit(entries) {
      const reply = await send((id) => ({ id, packed: packEntries(entries) }));
      return { firstSeq: reply.firstSeq ?? 0, hashes: reply.hashes ?? [] };
    },
    async reserveCounts(reservations) {
      const reply = await send((id) => ({ id, reserve: reservations }));
      return reply.tops ?? [];
    },
    async addUsage(usage) {
      await send((id) => ({ id, usage }));
    },
    async insertCheckpoint(checkpoint) {
      if (closed) return false;
      await send((id) => ({ id, checkpoint }));
      return true;
    },
    async close() {
      closed = true;
      const w = worker;
      worker = undefined;
      if (!w) return;
      const exited = new Promise<void>((resolve) => {
        w.once('exit', () => {
          resolve();
        });
      });
      w.postMessage('close');
      await exited;
    },
  };
}
