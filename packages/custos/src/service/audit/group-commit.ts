// Group commit for audit records: records queued while a commit is in progress go to disk together in the next
// one, and each caller's promise resolves only after its record's transaction has committed (DESIGN: anything
// acknowledged is durable). Must not import api.
import type { AuditEntry } from '../../store/types.js';
import type { CommittedBatch } from './audit-log.js';
import type { AuditSink } from './worker-sink.js';

/** The records that will be committed together, and the one promise their callers share. */
interface Batch {
  readonly entries: AuditEntry[];
  readonly committed: Promise<CommittedBatch>;
  resolve(batch: CommittedBatch): void;
  reject(error: unknown): void;
}

/**
 * A queued record: the promise its batch's callers share, and its index in the batch (its seq is `firstSeq + index`,
 * its hash `hashes[index]`).
 */
export interface QueuedRecord {
  readonly committed: Promise<CommittedBatch>;
  readonly index: number;
}

function newBatch(): Batch {
  let resolve!: (batch: CommittedBatch) => void;
  let reject!: (error: unknown) => void;
  const committed = new Promise<CommittedBatch>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { entries: [], committed, resolve, reject };
}

export class AuditWriter {
  /** Batches not yet handed to the sink, oldest first; the last one takes new records until it is full. */
  #queue: Batch[] = [];
  /** Batches handed to the sink whose commit has not ended. */
  #inFlight = 0;
  #scheduled = false;
  #idleWaiters: (() => void)[] = [];
  readonly #maxInFlight: number;
  readonly #maxBatch: number;

  constructor(private readonly sink: AuditSink) {
    this.#maxInFlight = Math.max(1, sink.maxInFlight ?? 1);
    this.#maxBatch = Math.max(1, sink.maxBatch ?? 1000);
  }

  /**
   * Resolves once the record is committed, with its batch's seqs and hashes; rejects if its transaction failed.
   * Records queued together share one promise (no promise per record on the request path).
   */
  append(entry: AuditEntry): Promise<CommittedBatch> {
    return this.enqueue(entry).committed;
  }

  /** `append`, also telling the caller where its record is in the batch (for its receipt). */
  enqueue(entry: AuditEntry): QueuedRecord {
    let batch = this.#queue[this.#queue.length - 1];
    if (!batch || batch.entries.length >= this.#maxBatch) this.#queue.push((batch = newBatch()));
    const index = batch.entries.push(entry) - 1;
    this.#schedule();
    return { committed: batch.committed, index };
  }

  /**
   * Queues `entries` in a batch of their own, however many (a Batch call's records), so that one transaction commits
   * them all; tells where the first is. Records queued after may join that batch.
   */
  enqueueTogether(entries: readonly AuditEntry[]): QueuedRecord {
    const batch = newBatch();
    batch.entries.push(...entries);
    this.#queue.push(batch);
    this.#schedule();
    return { committed: batch.committed, index: 0 };
  }

  /** Waits until every queued record is written. */
  async drain(): Promise<void> {
    while (this.#queue.length > 0 || this.#inFlight > 0 || this.#scheduled)
      await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Drains, then releases the sink (its worker thread, if any). */
  async close(): Promise<void> {
    await this.drain();
    await this.sink.close();
  }

  /**
   * better-sqlite3 commits synchronously, so a batch handed over at once would always carry one record. Waiting for
   * the event loop's check phase lets every request read in this I/O phase queue its record first.
   */
  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(this.#onImmediate);
  }

  readonly #onImmediate = (): void => {
    this.#scheduled = false;
    this.#pump();
  };

  /**
   * Hands queued batches to the sink while it has room. A sink that takes more than one (the worker thread) starts
   * the next commit the moment the previous one ends, without waiting for this thread to hear of it.
   */
  #pump(): void {
    while (this.#inFlight < this.#maxInFlight) {
      const batch = this.#queue.shift();
      if (!batch) break;
      this.#inFlight++;
      this.sink.commit(batch.entries).then(
        (committed) => {
          this.#ended();
          batch.resolve(committed);
        },
        (error: unknown) => {
          this.#ended();
          batch.reject(error);
        },
      );
    }
    if (this.#queue.length === 0 && this.#inFlight === 0 && !this.#scheduled && this.#idleWaiters.length > 0) {
      const waiters = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const wake of waiters) wake();
    }
  }

  /**
   * A commit ended: what queued meanwhile goes to the sink before the batch's callers resume (their replies take
   * the event loop for a while; the sink should not sit idle through them).
   */
  #ended(): void {
    this.#inFlight--;
    this.#pump();
  }
}
