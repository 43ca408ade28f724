// When RemoteKms may send a request again: which operations are safe to repeat, and how long to wait between tries.
// Must not import anything but @custos/contract.
import { OPERATIONS, type OperationMethod } from '@custos/contract';

/**
 * Whether each operation may be sent again after a network failure, a timeout or a 502/503/504 reply, when
 * the first try may or may not have been carried out: the `safeToRetry` of each operation's row, which every row
 * must state, so that a new operation does not compile until someone decides. An HTTP error reply other than
 * 502/503/504 is never retried: the server answered, and repeating the request would get the same answer.
 *
 * Safe means a repeat changes nothing a caller can observe beyond the first call: reads; cryptographic
 * operations (their results are fresh each call anyway, and the server keeps no state for them except the audit
 * log and the count of a key with `maxUses`, which a repeat may advance once more); and writes that set a value
 * (enable, disable, description, policy, constraints, tags), which leave the same state when applied twice.
 */
export const SAFE_TO_REPEAT = Object.fromEntries(
  Object.entries(OPERATIONS).map(([method, row]) => [method, row.safeToRetry]),
) as Readonly<Record<OperationMethod, boolean>>;

/** Whether `operation` may be retried after a failure that leaves its outcome unknown. */
export function isSafeToRepeat(operation: OperationMethod): boolean {
  return SAFE_TO_REPEAT[operation];
}

/** HTTP statuses that mean "a proxy or the server could not handle it now": retried for safe operations only. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

/**
 * The wait before retry number `attempt + 1` (attempt 0 is the wait after the first failure): exponential
 * backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"), a uniform draw in
 * `[0, min(maxMs, baseMs * 2^attempt))`, so that clients failing together do not retry together.
 *
 * @example
 * backoffDelay(2, 100, 2000); // somewhere in [0, 400) ms
 */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}
