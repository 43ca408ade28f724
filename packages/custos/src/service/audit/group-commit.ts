// Group commit for audit records: records queued while a commit is in progress go to disk together in the next
// one, and each caller's promise resolves only after its record's transaction has committed (DESIGN: anything
// acknowledged is durable). Must not import api.
import type { AuditEntry } from '../../store/types.js';
import type { AuditSink } from './worker-sink.js';

interface Pending {
  readonly entry: AuditEntry;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export class AuditWriter {
  #queue: Pending[] = [];
  #flushing: Promise<void> | null = null;

  constructor(
    private readonly sink: AuditSink,
    private readonly maxBatch = 1000,
  ) {}

  /** Resolves once the record is committed; rejects if its transaction failed. */
  append(entry: AuditEntry): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ entry, resolve, reject });
      this.#flushing ??= this.#flushSoon();
    });
  }

  /** Waits until every queued record is written. */
  async drain(): Promise<void> {
    while (this.#flushing) await this.#flushing;
  }

  /** Drains, then releases the sink (its worker thread, if any). */
  async close(): Promise<void> {
    await this.drain();
    await this.sink.close();
  }

  /**
   * better-sqlite3 commits synchronously, so a flush started at once would always carry one record. Waiting for
   * the event loop's check phase lets every request read in this I/O phase queue its record first.
   */
  async #flushSoon(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    await this.#flush();
  }

  async #flush(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, this.maxBatch);
        try {
          await this.sink.commit(batch.map((p) => p.entry));
          for (const p of batch) p.resolve();
        } catch (error) {
          for (const p of batch) p.reject(error);
        }
      }
    } finally {
      this.#flushing = null;
    }
  }
}
