// Unseal shares as operators see them: `custos-share-v1.<root id>.<base64url of the library's share>`, so that a
// share of another root key file is refused at once. Must not import store, service or api.
import { ValidationError } from '@custos/contract';

/*
 * Share text, version 1 (a released layout is never edited):
 *   custos-share-v1.<root id: 32 lowercase hex, the root key file's non-secret rootId>.<base64url, no padding, of
 *   the shamir-secret-sharing share: 32 bytes of y values, then the x coordinate (1..255) as its last byte>
 */
const PREFIX = 'custos-share-v1';
/** The unseal key is 256 bits; the library appends one byte (the share's x coordinate). */
const SHARE_BYTES = 33;
const ROOT_ID = /^[0-9a-f]{32}$/;

/** A parsed share. `bytes` is secret: the caller wipes it when done. */
export interface ParsedShare {
  readonly rootId: string;
  /** The share's x coordinate: two shares with the same one are the same share. */
  readonly index: number;
  readonly bytes: Uint8Array;
}

/** The text an operator is given for one share of `rootId`. */
export function encodeShare(rootId: string, share: Uint8Array): string {
  return `${PREFIX}.${rootId}.${Buffer.from(share).toString('base64url')}`;
}

/**
 * Parses a share's text. INVALID_SHARE when it is not a share (the message never repeats the text: it may be one).
 * @example const { rootId, index } = parseShare(text);
 */
export function parseShare(text: unknown): ParsedShare {
  const invalid = (why: string): ValidationError =>
    new ValidationError(`not an unseal share (${PREFIX}.<root id>.<share>): ${why}`, 'INVALID_SHARE');
  if (typeof text !== 'string') throw invalid('a share is a string');
  const parts = text.trim().split('.');
  if (parts.length !== 3 || parts[0] !== PREFIX) throw invalid(`it must start with ${PREFIX}. and have three parts`);
  const [, rootId = '', encoded = ''] = parts;
  if (!ROOT_ID.test(rootId)) throw invalid('the root id must be 32 hexadecimal digits');
  const bytes = new Uint8Array(Buffer.from(encoded, 'base64url'));
  // Buffer.from skips characters outside the alphabet: require a round trip.
  if (bytes.length !== SHARE_BYTES || Buffer.from(bytes).toString('base64url') !== encoded) {
    bytes.fill(0);
    throw invalid(`the share must be ${String(SHARE_BYTES)} bytes of base64url`);
  }
  const index = bytes[SHARE_BYTES - 1] ?? 0;
  if (index === 0) {
    bytes.fill(0);
    throw invalid('the share index must not be 0');
  }
  return { rootId, index, bytes };
}
