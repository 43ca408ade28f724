// Batch items: each item runs as its own operation — authorised, validated, handled and audited exactly as a single
// call of that operation would be — and its audit record is handed back instead of queued, so that KeyService
// commits every item's record together with the batch's own, before any result is returned. Must not import api.
import {
  BATCH_OPERATIONS,
  KmsError,
  type BatchItem,
  type BatchOperation,
  type BatchResult,
  type Caller,
} from '@custos/contract';
import type { AuditEntry } from '../store/types.js';
import type { ServiceOperation } from './define-operation.js';
import { SERVICE_OPERATIONS } from './operations/index.js';

/** Runs one operation for `caller`, passing its audit record (allowed, denied or failed) to `collect`. */
export type ItemExecutor = (
  operation: ServiceOperation,
  input: unknown,
  caller: Caller,
  collect: (entry: AuditEntry) => void,
) => Promise<unknown>;

/** The results of a batch's items, in order, and their audit records, in the same order. */
export interface BatchOutcome {
  readonly results: BatchResult[];
  readonly entries: AuditEntry[];
}

/**
 * Runs every item (concurrently: most are answered from the key cache without a promise) and waits for all. An
 * item's failure is its result (`error`, with the code and message a single call gets); nothing else fails here.
 */
export async function runBatchItems(
  execute: ItemExecutor,
  items: readonly BatchItem[],
  caller: Caller,
): Promise<BatchOutcome> {
  // The batch's receipt covers its items: they make none of their own.
  const { onReceipt: _receipt, ...itemCaller } = caller;
  const entries: (AuditEntry | undefined)[] = new Array<AuditEntry | undefined>(items.length);
  const results = await Promise.all(
    items.map(async (item, index): Promise<BatchResult> => {
      const method = itemOperation(item);
      const collect = (entry: AuditEntry) => {
        entries[index] = { ...entry, details: { ...entry.details, batchIndex: index } };
      };
      try {
        const response = await execute(SERVICE_OPERATIONS[method], item[method], itemCaller, collect);
        return { [method]: response };
      } catch (error) {
        // execute converts every error to a KmsError (it is the single-call path's own conversion).
        const { code, message } = error instanceof KmsError ? error : new KmsError('INTERNAL', 'internal error');
        return { error: { operation: method, code, message } };
      }
    }),
  );
  // A hole would be an item whose record committed with its own change (none of the batch's operations makes one).
  return { results, entries: entries.filter((entry): entry is AuditEntry => entry !== undefined) };
}

/** The operation an item names (the schema allows exactly one field, among BATCH_OPERATIONS). */
function itemOperation(item: BatchItem): BatchOperation {
  const [name] = Object.keys(item);
  const method = BATCH_OPERATIONS.find((op) => op === name);
  if (!method) throw new KmsError('VALIDATION_ERROR', `a batch item names no operation it may run: ${String(name)}`);
  return method;
}
