// Follow cursors of ListAuditRecords: a caller who starts following the log (an audited call) gets a cursor naming
// them, the seq the follow started at and an expiry, authenticated under deriveKey('audit-receipt') (a statement
// handed to a caller, like a receipt; its own label keeps the two apart). Polls under a valid cursor are covered by
// the audited start. Must not import api.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '@custos/contract';
import { exposeSecret } from '../../core/secret-bytes.js';
import type { RootOfTrust } from '../../keystore/root-of-trust.js';

/** How long a cursor covers polls: after it, a poll is audited again and gets a new cursor. */
export const FOLLOW_CURSOR_TTL_MS = 60 * 60 * 1000;

const LABEL = 'custos/audit-follow/v1\n';

/** What a cursor says. */
export interface FollowCursor {
  /** The principal who started following. */
  readonly principal: string;
  /** The newest seq when the follow started: polls read only records after it. */
  readonly floor: number;
  /** Unix ms. */
  readonly expiresAt: number;
}

/** The cursor key (`deriveKey('audit-receipt')`, copied out; the SecretBytes is wiped). */
export async function deriveCursorKey(rootOfTrust: RootOfTrust): Promise<Uint8Array> {
  const secret = await rootOfTrust.deriveKey('audit-receipt');
  try {
    return new Uint8Array(exposeSecret(secret));
  } finally {
    secret.wipe();
  }
}

function mac(key: Uint8Array, payload: string): Buffer {
  return createHmac('sha256', key)
    .update(LABEL + payload)
    .digest();
}

/** `payload.mac`, both base64url. */
export function issueCursor(key: Uint8Array, cursor: FollowCursor): string {
  const payload = Buffer.from(JSON.stringify([cursor.principal, cursor.floor, cursor.expiresAt])).toString('base64url');
  return `${payload}.${mac(key, payload).toString('base64url')}`;
}

/** The cursor's statement; VALIDATION_ERROR when it was not issued here (malformed or altered). */
export function readCursor(key: Uint8Array, text: string): FollowCursor {
  const invalid = () => new ValidationError('the follow cursor is not valid');
  const [payload, tag, extra] = text.split('.');
  if (payload === undefined || tag === undefined || extra !== undefined) throw invalid();
  const expected = mac(key, payload);
  const given = Buffer.from(tag, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
  const [principal, floor, expiresAt] = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown[];
  if (typeof principal !== 'string' || typeof floor !== 'number' || typeof expiresAt !== 'number') throw invalid();
  return { principal, floor, expiresAt };
}
