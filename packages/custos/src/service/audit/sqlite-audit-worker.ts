// Worker thread that commits audit batches on its own SQLite connection, so the fsync of a durable commit
// (better-sqlite3 is synchronous) blocks this thread, not the server's event loop. Started by worker-sink.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { InternalError } from '@custos/contract';
import { openSqliteAuditAppender } from '../../store/index.js';
import { chainEntries } from './chain.js';
import { unpackEntries } from './packed-entries.js';

interface Batch {
  readonly id: number;
  /** packEntries' form. */
  readonly packed: unknown[];
}

const port = parentPort;
// Loaded on the main thread by mistake, there is no port to answer on: fail loudly rather than hang the sink.
if (!port) throw new InternalError('sqlite-audit-worker.js runs as a worker thread only');

const { filename, chainKey } = workerData as { filename: string; chainKey: Uint8Array };
const appender = openSqliteAuditAppender(filename);
port.on('message', (batch: Batch | 'close') => {
  if (batch === 'close') {
    appender.close();
    process.exit(0);
  }
  try {
    const entries = unpackEntries(batch.packed);
    let hashes: string[] = [];
    const firstSeq = appender.append((head) => {
      const chained = chainEntries(head, entries, chainKey);
      hashes = chained.map((entry) => entry.hash);
      return chained;
    });
    // Each caller's receipt names its record's seq and hash: the batch's first seq and the hashes, in order.
    port.postMessage({ id: batch.id, ok: true, firstSeq, hashes });
  } catch (error) {
    port.postMessage({
      id: batch.id,
      ok: false,
      message: error instanceof Error ? error.message : String(error),
      // SQLITE_FULL and the like: the service maps a full disk to UNAVAILABLE by this code (store/dialect.ts).
      code: (error as { code?: unknown } | null)?.code,
    });
  }
});
port.postMessage({ ready: true });
