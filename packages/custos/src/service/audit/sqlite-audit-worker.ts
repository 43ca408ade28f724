// Worker thread that commits audit batches on its own SQLite connection, so the fsync of a durable commit
// (better-sqlite3 is synchronous) blocks this thread, not the server's event loop. Started by worker-sink.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteStore } from '../../store/index.js';
import * as repo from '../../store/repositories/index.js';
import type { AuditEntry } from '../../store/types.js';

interface Batch {
  readonly id: number;
  readonly entries: AuditEntry[];
}

const store = await openSqliteStore((workerData as { filename: string }).filename, { migrate: false });
parentPort!.on('message', (batch: Batch | 'close') => {
  if (batch === 'close') {
    void store.close().then(() => process.exit(0));
    return;
  }
  store
    .transaction((tx) => repo.audit.appendBatch(tx, batch.entries))
    .then(
      () => parentPort!.postMessage({ id: batch.id, ok: true }),
      (error: unknown) => parentPort!.postMessage({ id: batch.id, ok: false, message: error instanceof Error ? error.message : String(error) }),
    );
});
parentPort!.postMessage({ ready: true });
