// When RemoteKms may send a request again: which operations are safe to repeat, and how long to wait between tries.
// Must not import anything but @custos/contract.
import type { OperationMethod } from '@custos/contract';

/**
 * Whether each operation may be sent again after a network failure, a timeout or a 502/503/504 reply, when
 * the first try may or may not have been carried out. A `Record` over every operation, so that a new operation
 * does not compile until someone decides. An HTTP error reply other than 502/503/504 is never retried: the
 * server answered, and repeating the request would get the same answer.
 *
 * Safe means a repeat changes nothing a caller can observe beyond the first call: reads; cryptographic
 * operations (their results are fresh each call anyway, and the server keeps no state for them except the audit
 * log and the count of a key with `maxUses`, which a repeat may advance once more); and writes that set a value
 * (enable, disable, description, policy, constraints, tags), which leave the same state when applied twice.
 */
export const SAFE_TO_REPEAT = {
  // Reads: every GET route.
  describeKey: true,
  listKeys: true,
  listAliases: true,
  listResourceTags: true,
  getPublicKey: true,
  getKeyRotationStatus: true,
  listKeyRotations: true,
  getKeyPolicy: true,
  listAuditRecords: true,
  verifyAuditChain: true,
  listTokens: true,
  listAccessKeys: true,

  // Cryptographic operations.
  encrypt: true,
  decrypt: true,
  reEncrypt: true,
  generateDataKey: true,
  generateDataKeyWithoutPlaintext: true,
  generateDataKeyPair: true,
  generateDataKeyPairWithoutPlaintext: true,
  generateRandom: true,
  sign: true,
  verify: true,
  generateMac: true,
  verifyMac: true,
  deriveSharedSecret: true,

  // Writes that set a value: applied twice, the state is the same as applied once.
  enableKey: true,
  disableKey: true,
  updateKeyDescription: true,
  putKeyPolicy: true,
  updateKeyConstraints: true,
  tagResource: true,
  untagResource: true,

  // Not safe: a repeat creates a second thing, takes a second step, or fails because the first try succeeded.
  createKey: false, // a second key
  createAlias: false, // the repeat fails with ALREADY_EXISTS after the first succeeded
  updateAlias: false, // moves a name other callers resolve; a late repeat could undo another caller's update
  deleteAlias: false, // the repeat fails with ALIAS_NOT_FOUND after the first succeeded
  scheduleKeyDeletion: false, // the repeat fails with INVALID_KEY_STATE (the key is already PendingDeletion)
  cancelKeyDeletion: false, // the repeat fails with INVALID_KEY_STATE (the key is no longer PendingDeletion)
  rotateKeyOnDemand: false, // a second rotation: a second new key version
  enableKeyRotation: false, // may reset the date of the next automatic rotation
  disableKeyRotation: false, // kept with its twin: rotation settings change only when the caller asks
  getParametersForImport: false, // issues a new wrapping key and import token each call
  importKeyMaterial: false, // changes key state and expiry; a repeat after a partial failure should be the caller's decision
  deleteImportedKeyMaterial: false, // destroys material; never repeated behind the caller's back
  deriveKey: false, // with storeAs, a second derived key
  exportKey: false, // releases key material: each release is a deliberate, audited act
  createToken: false, // a second live credential
  revokeToken: false, // the repeat may fail after the first succeeded
  createAccessKey: false, // a second live credential
  revokeAccessKey: false, // the repeat may fail after the first succeeded
} as const satisfies Record<OperationMethod, boolean>;

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
