// Stored form of PINs and PUKs: a salted scrypt hash (RFC 7914, node:crypto) of the secret peppered with a key
// derived from the root of trust, so a copy of the database alone cannot be searched for a 6-digit PIN offline.
// Must not import store, keystore or api.
import { createHash, randomBytes, randomInt, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { InternalError } from '@custos/contract';
import type { TokenHasher } from '../integrity/keys.js';

/**
 * scrypt parameters of new hashes: N = 2^15, r = 8, p = 1 (32 MiB, tens of milliseconds: RFC 7914 §2's interactive
 * figure scaled up, OWASP's minimum for scrypt), a 16-byte random salt, a 32-byte output. A hash names its own
 * parameters, so these may be raised without invalidating stored ones.
 */
const PARAMS = { logN: 15, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const HASH_BYTES = 32;
const PREFIX = 's1';
/** Bounds on what a stored hash may ask for (it is MAC'd, but a bug must not make the server allocate gigabytes). */
const MAX_LOG_N = 20;

/** What is hashed: a PIN of a key, or its PUK (domain-separated, so one can never stand for the other). */
export type SecretKind = 'pin' | 'puk';

function run(password: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  const options: ScryptOptions = { N: 2 ** logN, r, p, maxmem: 256 * 2 ** logN * r };
  return new Promise((resolve, reject) => {
    scrypt(password, salt, HASH_BYTES, options, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
}

/**
 * The password scrypt sees: HMAC-SHA-256 under the root-derived token key (TokenHasher) of a label naming the
 * purpose, kind and key, and the secret's SHA-256. The token key's other inputs are bare 64-hex digests, which never
 * start with this label.
 */
function peppered(hasher: TokenHasher, keyId: string, kind: SecretKind, secret: string): string {
  const digest = createHash('sha256').update(secret, 'utf8').digest('hex');
  return hasher.stored(`custos/key-pin/v1\n${kind}\n${keyId}\n${digest}`);
}

/** The stored form of a new PIN or PUK: `s1.<log2 N>.<r>.<p>.<salt>.<hash>` (base64url). */
export async function hashSecret(
  hasher: TokenHasher,
  keyId: string,
  kind: SecretKind,
  secret: string,
): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await run(peppered(hasher, keyId, kind, secret), salt, PARAMS.logN, PARAMS.r, PARAMS.p);
  return [PREFIX, PARAMS.logN, PARAMS.r, PARAMS.p, salt.toString('base64url'), hash.toString('base64url')].join('.');
}

/** Whether `secret` is the one `stored` was made from: scrypt again, then a constant-time comparison. */
export async function verifySecret(
  hasher: TokenHasher,
  keyId: string,
  kind: SecretKind,
  secret: string,
  stored: string,
): Promise<boolean> {
  const [prefix, logN, r, p, salt, hash] = stored.split('.');
  const numbers = [logN, r, p].map(Number);
  const [n, rr, pp] = numbers as [number, number, number];
  if (prefix !== PREFIX || salt === undefined || hash === undefined || !numbers.every(Number.isInteger)) {
    throw new InternalError('a stored PIN hash has an unknown format');
  }
  if (n < 10 || n > MAX_LOG_N || rr < 1 || rr > 32 || pp < 1 || pp > 16) {
    throw new InternalError('a stored PIN hash has parameters out of range');
  }
  const expected = Buffer.from(hash, 'base64url');
  const actual = await run(peppered(hasher, keyId, kind, secret), Buffer.from(salt, 'base64url'), n, rr, pp);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A new PUK: 20 random decimal digits (66 bits), typed by a person, returned once by CreateKey. */
export function newPuk(): string {
  let puk = '';
  for (let i = 0; i < 20; i++) puk += String(randomInt(10));
  return puk;
}
