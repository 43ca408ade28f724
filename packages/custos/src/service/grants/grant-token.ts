// Grant tokens: what CreateGrant returns and callers pass back (`grantTokens`, RetireGrant's `grantToken`). A token
// names one grant and carries a MAC under the root-derived token key, so a token this Custos did not issue is
// refused (INVALID_GRANT_TOKEN) rather than looked up. Nothing is stored: a new random part per CreateGrant call
// (AWS: "the returned grant token is unique with every CreateGrant request"), all of one grant usable alike.
// Must not import api or store.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '@custos/contract';
import type { ServiceContext } from '../context.js';

/** Format 1: "cgt1." + base64url(grant id (32 bytes) ‖ random (16) ‖ HMAC-SHA-256 (32)). Never edited. */
const PREFIX = 'cgt1.';
const ID_BYTES = 32;
const NONCE_BYTES = 16;
const MAC_BYTES = 32;
const TOKEN_BYTES = ID_BYTES + NONCE_BYTES + MAC_BYTES;

/** The grant ids CreateGrant makes: 64 lower-case hex digits. */
const GRANT_ID = /^[0-9a-f]{64}$/;

/** The MAC of one token: the token key (TokenHasher) over a text no API token digest (64 hex digits) can equal. */
function mac(ctx: ServiceContext, grantId: string, nonce: Buffer): Buffer {
  return Buffer.from(ctx.tokenHasher.stored(`custos-grant-token-v1:${grantId}:${nonce.toString('hex')}`), 'hex');
}

/** A new token for the grant. */
export function issueGrantToken(ctx: ServiceContext, grantId: string): string {
  const nonce = randomBytes(NONCE_BYTES);
  return PREFIX + Buffer.concat([Buffer.from(grantId, 'hex'), nonce, mac(ctx, grantId, nonce)]).toString('base64url');
}

/** The grant id a token names; INVALID_GRANT_TOKEN unless this Custos issued it. */
export function readGrantToken(ctx: ServiceContext, token: string): string {
  const invalid = () => new ValidationError('the grant token is not valid', 'INVALID_GRANT_TOKEN');
  if (!token.startsWith(PREFIX)) throw invalid();
  const body = token.slice(PREFIX.length);
  if (!/^[A-Za-z0-9_-]+$/.test(body)) throw invalid();
  const bytes = Buffer.from(body, 'base64url');
  if (bytes.length !== TOKEN_BYTES) throw invalid();
  const grantId = bytes.subarray(0, ID_BYTES).toString('hex');
  const expected = mac(ctx, grantId, bytes.subarray(ID_BYTES, ID_BYTES + NONCE_BYTES));
  if (!timingSafeEqual(bytes.subarray(ID_BYTES + NONCE_BYTES), expected)) throw invalid();
  return grantId;
}

/**
 * Checks every token of a request's `grantTokens` (AWS InvalidGrantTokenException for one Custos did not issue) and
 * returns the grant ids they name. Grants take effect at once on every node, so a valid token adds no right of its
 * own: the grant it names counts only while it exists, as every grant does.
 */
export function checkGrantTokens(ctx: ServiceContext, tokens: readonly string[] | undefined): readonly string[] {
  if (tokens === undefined || tokens.length === 0) return NONE; // the hot path: no allocation
  return tokens.map((token) => readGrantToken(ctx, token));
}

const NONE: readonly string[] = [];

/** A grant id as callers give it: INVALID_GRANT_ID unless it has the form of one CreateGrant makes. */
export function checkGrantId(grantId: string): string {
  if (!GRANT_ID.test(grantId)) throw new ValidationError('the grant id is not valid', 'INVALID_GRANT_ID');
  return grantId;
}
