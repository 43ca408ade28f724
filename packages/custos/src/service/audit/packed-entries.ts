// Audit batches as they cross to the SQLite audit worker (worker-sink.ts → sqlite-audit-worker.ts): one flat array
// of plain values. Used on both sides of the thread boundary. Must not import api.
import type { AuditEntry } from '../../store/types.js';

/** Fields per entry in a packed batch, in this order. */
const PACKED_FIELDS = 9;

/**
 * A batch as one flat array of plain values (time in ms): half the structured-clone cost of the entry objects,
 * paid on the event loop for every record.
 */
export function packEntries(entries: readonly AuditEntry[]): unknown[] {
  const flat: unknown[] = [];
  // PACKED_FIELDS values per entry, in unpackEntries' order.
  for (const e of entries)
    flat.push(
      e.time.getTime(),
      e.principal,
      e.operation,
      e.keyId,
      e.keyVersion,
      e.outcome,
      e.errorCode,
      e.requestId,
      e.details,
    );
  return flat;
}

/** The entries of a packed batch. */
export function unpackEntries(flat: readonly unknown[]): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (let i = 0; i + PACKED_FIELDS <= flat.length; i += PACKED_FIELDS) {
    entries.push({
      time: new Date(flat[i] as number),
      principal: flat[i + 1] as string,
      operation: flat[i + 2] as string,
      keyId: flat[i + 3] as string | null,
      keyVersion: flat[i + 4] as number | null,
      outcome: flat[i + 5] as AuditEntry['outcome'],
      errorCode: flat[i + 6] as string | null,
      requestId: flat[i + 7] as string,
      details: flat[i + 8] as Record<string, unknown> | null,
    });
  }
  return entries;
}

/**
 * How many of `batches` (oldest first) one transaction takes: batches until it holds at least `records` entries, at
 * least one (a checkpoint alone, or one batch larger than `records`, still goes). Usage counts (a chunk of at most
 * SINK_CHUNK, service/usage/recorder.ts) count for nothing: they ride along with the records that follow them rather
 * than cost a commit of their own.
 */
export function batchesToTake(
  batches: readonly { readonly packed?: readonly unknown[] | undefined }[],
  records: number,
): number {
  let taken = 0;
  let held = 0;
  for (const batch of batches) {
    if (taken > 0 && held >= records) break;
    taken++;
    held += batch.packed ? Math.floor(batch.packed.length / PACKED_FIELDS) : 0;
  }
  return taken;
}
