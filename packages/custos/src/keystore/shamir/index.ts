// The Shamir root of trust: the root key file sealed under a random unseal key that exists only as shares
// (shamir-secret-sharing), one per operator; any `threshold` of them open it. Must not import store, service or api.
import { randomBytes } from 'node:crypto';
import { ValidationError } from '@custos/contract';
import { combine, split } from 'shamir-secret-sharing';
import { aesGcmDecrypt, aesGcmEncrypt, GCM_IV_BYTES, GCM_TAG_BYTES } from '../../core/algorithms/aes-gcm.js';
import { exposeSecret, SecretBytes } from '../../core/secret-bytes.js';
import { readRootKeyFile, rootOfTrustFromKey, writeNewFile } from '../file/index.js';
import type { RootOfTrust } from '../root-of-trust.js';
import { encodeShare, parseShare, type ParsedShare } from './share.js';

/*
 * Root key file, version 2, Shamir-sealed (JSON; a released layout is never edited; version 1 is file/index.ts's):
 *   { "format": "custos-root-key", "version": 2, "seal": "shamir", "rootId": hex(16 random bytes),
 *     "shares": N, "threshold": T, "iv": b64(12), "ciphertext": b64(32), "tag": b64(16) }
 * root key = AES-256-GCM-decrypt(unseal key, iv, ciphertext, tag, aad = shamirAad(rootId, N, T)): editing the
 * header fails the tag. The unseal key (256 random bits) is split with shamir-secret-sharing into N shares, any T
 * of which rebuild it; it is stored nowhere. rootId is not secret: it marks the shares of this file (share.ts).
 */

const FORMAT = 'custos-root-key';
const VERSION = 2;
const KEY_BYTES = 32;
/** shamir-secret-sharing's limits: 2..255 shares, threshold 2..shares. */
const MAX_SHARES = 255;

/** The non-secret header of a Shamir-sealed root key file. */
export interface ShamirHeader {
  readonly rootId: string;
  readonly shares: number;
  readonly threshold: number;
}

interface ShamirFile extends ShamirHeader {
  readonly sealed: { readonly iv: Uint8Array; readonly ciphertext: Uint8Array; readonly tag: Uint8Array };
}

/** The header, authenticated as the AAD (built here in a fixed order, not from the file's text). */
function shamirAad(header: ShamirHeader): Uint8Array {
  const { rootId, shares, threshold } = header;
  return new TextEncoder().encode(
    JSON.stringify({ format: FORMAT, version: VERSION, seal: 'shamir', rootId, shares, threshold }),
  );
}

function checkCounts(shares: unknown, threshold: unknown): void {
  const isInt = (v: unknown): v is number => Number.isSafeInteger(v);
  if (!isInt(shares) || !isInt(threshold) || threshold < 2 || threshold > shares || shares > MAX_SHARES)
    throw new ValidationError(
      `shares and threshold must be whole numbers with 2 <= threshold <= shares <= ${String(MAX_SHARES)}`,
    );
}

/** Writes a root key file sealing `root` under `unsealKey` with `header` (never replacing one: ALREADY_EXISTS). */
async function writeSealedFile(
  path: string,
  header: ShamirHeader,
  unsealKey: SecretBytes,
  root: SecretBytes,
): Promise<void> {
  const sealed = aesGcmEncrypt(unsealKey, exposeSecret(root), shamirAad(header));
  const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
  const text = JSON.stringify(
    {
      format: FORMAT,
      version: VERSION,
      seal: 'shamir',
      rootId: header.rootId,
      shares: header.shares,
      threshold: header.threshold,
      iv: b64(sealed.iv),
      ciphertext: b64(sealed.ciphertext),
      tag: b64(sealed.tag),
    },
    null,
    2,
  );
  await writeNewFile(path, text);
}

/**
 * Creates a Shamir-sealed root key file at `path` (never replacing one: ALREADY_EXISTS) with a fresh root key, and
 * returns the unseal shares, which exist nowhere else. VALIDATION_ERROR unless 2 <= threshold <= shares <= 255.
 * @example const { unsealShares } = await createShamirRootKeyFile('data/root.key', { shares: 5, threshold: 3 });
 */
export async function createShamirRootKeyFile(
  path: string,
  options: { shares: number; threshold: number },
): Promise<{ unsealShares: string[] }> {
  checkCounts(options.shares, options.threshold);
  const header: ShamirHeader = {
    rootId: randomBytes(16).toString('hex'),
    shares: options.shares,
    threshold: options.threshold,
  };
  const root = SecretBytes.random(KEY_BYTES);
  const unsealKey = SecretBytes.random(KEY_BYTES);
  let parts: Uint8Array[] = [];
  try {
    // The library checks a Uint8Array by its constructor: hand it a plain copy, wiped below.
    const secret = new Uint8Array(exposeSecret(unsealKey));
    try {
      parts = await split(secret, options.shares, options.threshold);
    } finally {
      secret.fill(0);
    }
    await writeSealedFile(path, header, unsealKey, root);
    return { unsealShares: parts.map((share) => encodeShare(header.rootId, share)) };
  } finally {
    root.wipe();
    unsealKey.wipe();
    for (const share of parts) share.fill(0);
  }
}

const malformed = (why: string): ValidationError => new ValidationError(`malformed root key file: ${why}`);

function bytesField(doc: Record<string, unknown>, field: string, length: number): Uint8Array {
  const value = doc[field];
  if (typeof value !== 'string') throw malformed(`${field} must be a base64 string`);
  const bytes = Buffer.from(value, 'base64');
  if (bytes.toString('base64') !== value || bytes.length !== length)
    throw malformed(`${field} must be ${String(length)} bytes of canonical base64`);
  return bytes;
}

async function readShamirFile(path: string): Promise<ShamirFile> {
  const text = await readRootKeyFile(path);
  if (text === undefined)
    throw new ValidationError(`root key file not found: ${path} (create it with custos operator init)`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw malformed('not JSON');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw malformed('not a JSON object');
  const d = doc as Record<string, unknown>;
  if (d.format !== FORMAT || d.version !== VERSION || d.seal !== 'shamir')
    throw new ValidationError('the root key file is not sealed by Shamir shares: use its own root of trust');
  const fields = ['format', 'version', 'seal', 'rootId', 'shares', 'threshold', 'iv', 'ciphertext', 'tag'];
  const keys = Object.keys(d);
  if (keys.length !== fields.length || !fields.every((f) => keys.includes(f)))
    throw malformed(`expected exactly the fields ${fields.join(', ')}`);
  if (typeof d.rootId !== 'string' || !/^[0-9a-f]{32}$/.test(d.rootId)) throw malformed('rootId must be 32 hex digits');
  try {
    checkCounts(d.shares, d.threshold);
  } catch {
    throw malformed('shares and threshold are out of range');
  }
  return {
    rootId: d.rootId,
    shares: d.shares as number,
    threshold: d.threshold as number,
    sealed: {
      iv: bytesField(d, 'iv', GCM_IV_BYTES),
      ciphertext: bytesField(d, 'ciphertext', KEY_BYTES),
      tag: bytesField(d, 'tag', GCM_TAG_BYTES),
    },
  };
}

/**
 * The non-secret header of the Shamir-sealed root key file at `path` (what a sealed server reports).
 * @example const { threshold } = await readShamirHeader('data/root.key');
 */
export async function readShamirHeader(path: string): Promise<ShamirHeader> {
  const { rootId, shares, threshold } = await readShamirFile(path);
  return { rootId, shares, threshold };
}

/**
 * Checks one share against a file's header and returns its index (x coordinate), wiping its bytes: INVALID_SHARE
 * when malformed, FOREIGN_SHARE when it belongs to another root key file.
 */
export function shareIndex(header: ShamirHeader, text: unknown): number {
  const share = parseShare(text);
  share.bytes.fill(0);
  if (share.rootId !== header.rootId)
    throw new ValidationError('this unseal share belongs to another root key (another Custos)', 'FOREIGN_SHARE');
  return share.index;
}

/**
 * The unseal key of a Shamir-sealed root key file, rebuilt from shares and held while the root is open, so that a
 * rotated root key can be sealed under it (the operators' shares stay valid: rotating the root key is not a rekey).
 * Every file it opens or writes has its header (same root id, shares and threshold). `wipe` drops it.
 */
export class ShamirUnsealKey {
  readonly header: ShamirHeader;
  readonly #key: SecretBytes;

  private constructor(header: ShamirHeader, key: SecretBytes) {
    this.header = header;
    this.#key = key;
  }

  /**
   * Rebuilds the unseal key of the file at `path` from `shares`: INVALID_SHARE, FOREIGN_SHARE, DUPLICATE_SHARE or
   * TOO_FEW_SHARES before anything is combined, WRONG_SHARES when the combined key does not open the file.
   * @example const key = await ShamirUnsealKey.fromShares('data/root.key', [share1, share3, share4]);
   */
  static async fromShares(path: string, shares: readonly string[]): Promise<ShamirUnsealKey> {
    const file = await readShamirFile(path);
    const parsed: ParsedShare[] = [];
    try {
      for (const text of shares) {
        const share = parseShare(text);
        parsed.push(share);
        if (share.rootId !== file.rootId)
          throw new ValidationError('an unseal share belongs to another root key (another Custos)', 'FOREIGN_SHARE');
        if (parsed.some((other) => other !== share && other.index === share.index))
          throw new ValidationError('the same unseal share was given twice', 'DUPLICATE_SHARE');
      }
      if (parsed.length < file.threshold)
        throw new ValidationError(
          `${String(parsed.length)} unseal shares given; this root key needs ${String(file.threshold)}`,
          'TOO_FEW_SHARES',
        );
      const key = new ShamirUnsealKey(
        { rootId: file.rootId, shares: file.shares, threshold: file.threshold },
        SecretBytes.adopt(await combine(parsed.map((share) => share.bytes))),
      );
      try {
        key.#decrypt(file).wipe();
      } catch (err) {
        key.wipe();
        throw err;
      }
      return key;
    } finally {
      for (const share of parsed) share.bytes.fill(0);
    }
  }

  #decrypt(file: ShamirFile): SecretBytes {
    if (file.rootId !== this.header.rootId)
      throw new ValidationError('the root key file belongs to another set of unseal shares', 'FOREIGN_SHARE');
    try {
      return SecretBytes.adopt(aesGcmDecrypt(this.#key, file.sealed, shamirAad(file)));
    } catch (cause) {
      throw new ValidationError('the unseal shares do not open the root key: one of them is wrong', 'WRONG_SHARES', {
        cause,
      });
    }
  }

  /** Opens the root key file at `path`, sealed under this unseal key. */
  async open(path: string): Promise<RootOfTrust> {
    return rootOfTrustFromKey(this.#decrypt(await readShamirFile(path)));
  }

  /** Writes a new root key, sealed under this unseal key with the same header, at `path` (never replacing one). */
  async create(path: string): Promise<RootOfTrust> {
    const root = SecretBytes.random(KEY_BYTES);
    try {
      await writeSealedFile(path, this.header, this.#key, root);
    } catch (err) {
      root.wipe();
      throw err;
    }
    return rootOfTrustFromKey(root);
  }

  wipe(): void {
    this.#key.wipe();
  }
}

/**
 * Opens the Shamir-sealed root key file at `path` with `shares` (errors as {@link ShamirUnsealKey.fromShares}).
 * @example const rot = await openShamirRootOfTrust('data/root.key', [share1, share3, share4]);
 */
export async function openShamirRootOfTrust(path: string, shares: readonly string[]): Promise<RootOfTrust> {
  const key = await ShamirUnsealKey.fromShares(path, shares);
  try {
    return await key.open(path);
  } finally {
    key.wipe();
  }
}
