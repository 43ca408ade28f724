// Audit receipts, a released format (docs/audit.md): a successful call's reply carries a compact statement of the
// audit record that records it — seq, record hash, request id, operation, key id and time — authenticated with
// HMAC-SHA-256 under deriveKey('audit-receipt') (the follow cursors' key; this module's label keeps the two apart).
// A caller who keeps receipts can later prove that a record existed, so deleting it (truncating the log) is provable.
// Must not import api.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The format's version prefix. */
const VERSION = 'r1';
/** Domain separation: MAC input is this label, then the payload's base64url text (follow cursors use their own). */
const LABEL = 'custos/audit-receipt/v1\n';

/** What a receipt says. */
export interface ReceiptStatement {
  /** The audit record's seq. */
  readonly seq: number;
  /** Its hash (hex), as the chain stores it. */
  readonly hash: string;
  readonly requestId: string;
  /** The operation's name (`Encrypt`). */
  readonly operation: string;
  /** The key the record names, or null. */
  readonly keyId: string | null;
  /** The record's time, Unix ms. */
  readonly time: number;
}

function mac(key: Uint8Array, payload: string): Buffer {
  return createHmac('sha256', key)
    .update(LABEL + payload)
    .digest();
}

/**
 * `r1.<base64url(payload)>.<base64url(mac)>`, the payload the JSON array `[seq, hash, requestId, operation, keyId,
 * time]` (UTF-8), the MAC HMAC-SHA-256 under `key` of the label `custos/audit-receipt/v1\n` and the payload's text.
 * @example reply.header('x-custos-receipt', issueReceipt(key, { seq, hash, requestId, operation, keyId, time }));
 */
export function issueReceipt(key: Uint8Array, s: ReceiptStatement): string {
  const payload = Buffer.from(
    JSON.stringify([s.seq, s.hash, s.requestId, s.operation, s.keyId, s.time]),
    'utf8',
  ).toString('base64url');
  return `${VERSION}.${payload}.${mac(key, payload).toString('base64url')}`;
}

/** The receipt's statement, or undefined when it was not issued under `key` (malformed, altered, another key). */
export function readReceipt(key: Uint8Array, text: string): ReceiptStatement | undefined {
  const parts = text.trim().split('.');
  if (parts.length !== 3 || parts[0] !== VERSION) return undefined;
  const [, payload = '', tag = ''] = parts;
  const expected = mac(key, payload);
  const given = Buffer.from(tag, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let fields: unknown;
  try {
    fields = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(fields) || fields.length !== 6) return undefined;
  const [seq, hash, requestId, operation, keyId, time] = fields as unknown[];
  if (
    typeof seq !== 'number' ||
    typeof hash !== 'string' ||
    typeof requestId !== 'string' ||
    typeof operation !== 'string' ||
    (keyId !== null && typeof keyId !== 'string') ||
    typeof time !== 'number'
  )
    return undefined;
  return { seq, hash, requestId, operation, keyId, time };
}
