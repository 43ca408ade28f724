// The file root of trust: a 256-bit root key in a file (mode 0600), plain or sealed with a passphrase (scrypt).
// Must not import store, service or api.
import { hkdfSync, randomBytes, scrypt, type ScryptOptions } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { link, open, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ConflictError, InternalError, ValidationError } from '@custos/contract';
import { aesGcmDecrypt, aesGcmEncrypt, GCM_IV_BYTES, GCM_TAG_BYTES } from '../../core/algorithms/aes-gcm.js';
import { hmacGenerate } from '../../core/algorithms/hmac.js';
import { exposeSecret, SecretBytes } from '../../core/secret-bytes.js';
import type { DerivedKeyPurpose, RootOfTrust } from '../root-of-trust.js';

/*
 * Root key file, version 1 (JSON; a released layout is never edited):
 *   plain:  { "format": "custos-root-key", "version": 1, "sealed": false, "key": b64(32 bytes) }
 *   sealed: { "format": "custos-root-key", "version": 1, "sealed": true,
 *             "kdf": { "name": "scrypt", "N": 131072, "r": 8, "p": 1, "salt": b64(32 bytes) },
 *             "iv": b64(12), "ciphertext": b64(32), "tag": b64(16) }
 * Sealed: root key = AES-256-GCM-decrypt(scrypt(NFC(passphrase), salt, N, r, p, 32), iv, ciphertext, tag,
 *   aad = sealedAad(...)), so editing the KDF parameters fails the tag instead of weakening the seal.
 *
 * wrap() output, format 1:  0x01 | iv (12) | AES-256-GCM ciphertext | tag (16), with the caller's aad.
 *
 * deriveKey(purpose) = HKDF-SHA-256(ikm = root key, salt = DERIVE_SALT, info = purpose, 32 bytes) (RFC 5869).
 */

export interface FileRootOfTrustOptions {
  /** Path of the root key file. */
  readonly path: string;
  /** When set, the file is (or will be) sealed: the root key is encrypted under a scrypt-derived key. */
  readonly passphrase?: string;
  /** Create the file (with a fresh random key) if it does not exist. Default false. */
  readonly create?: boolean;
  /**
   * scrypt N for a file being created (a power of two, 2^10..2^20). Default 2^17 (RFC 7914 §2 guidance for
   * interactive use is 2^14; a root key is opened rarely, so we pay more). Lower values are for tests only.
   */
  readonly scryptCost?: number;
}

const FORMAT = 'custos-root-key';
const ROOT_KEY_BYTES = 32;
const WRAP_FORMAT_V1 = 0x01;
const KCV_LABEL = new TextEncoder().encode('custos root key check value');
const DERIVE_SALT = new TextEncoder().encode('custos root key derivation v1');
const DEFAULT_SCRYPT_N = 2 ** 17;
const SCRYPT_R = 8;
const SCRYPT_P = 1;
const SALT_BYTES = 32;
const MAX_SCRYPT_MEMORY = 1024 * 1024 * 1024; // refuse files that would make us allocate more than 1 GiB

interface ScryptParams {
  readonly name: 'scrypt';
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly salt: string;
}

const malformed = (why: string): ValidationError => new ValidationError(`malformed root key file: ${why}`);

/** Strict base64: Buffer.from(…, 'base64') silently skips junk, so require a round trip. */
function b64(value: unknown, field: string, length?: number): Buffer {
  if (typeof value !== 'string') throw malformed(`${field} must be a base64 string`);
  const bytes = Buffer.from(value, 'base64');
  if (bytes.toString('base64') !== value) throw malformed(`${field} is not canonical base64`);
  if (length !== undefined && bytes.length !== length) throw malformed(`${field} must be ${length} bytes`);
  return bytes;
}

function checkScryptParams(N: unknown, r: unknown, p: unknown): void {
  const isInt = (v: unknown, min: number, max: number): v is number =>
    Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max;
  if (!isInt(N, 2 ** 10, 2 ** 20) || (N & (N - 1)) !== 0)
    throw malformed('scrypt N must be a power of two from 2^10 to 2^20');
  if (!isInt(r, 1, 32) || !isInt(p, 1, 16)) throw malformed('scrypt r must be 1..32 and p 1..16');
  if (scryptMemory(N, r, p) > MAX_SCRYPT_MEMORY) throw malformed('scrypt parameters need too much memory');
}

/** What OpenSSL's scrypt allocates (RFC 7914 §5: B is 128·r·p bytes, V is 128·r·N, plus a 128·r scratch). */
function scryptMemory(N: number, r: number, p: number): number {
  return 128 * r * (N + p + 2);
}

function deriveSealingKey(passphrase: string, kdf: ScryptParams): Promise<SecretBytes> {
  const options: ScryptOptions = {
    N: kdf.N,
    r: kdf.r,
    p: kdf.p,
    maxmem: scryptMemory(kdf.N, kdf.r, kdf.p) + 1024 * 1024,
  };
  // NFC so that the same passphrase typed on different systems gives the same bytes.
  const secret = Buffer.from(passphrase.normalize('NFC'), 'utf8');
  return new Promise((resolve, reject) => {
    scrypt(secret, b64(kdf.salt, 'kdf.salt'), ROOT_KEY_BYTES, options, (err, key) => {
      secret.fill(0);
      if (err) reject(new InternalError('scrypt failed', { cause: err }));
      else {
        resolve(SecretBytes.from(key));
        key.fill(0);
      }
    });
  });
}

/** The sealed file's header, authenticated as the AAD (built here in a fixed order, not from the file's text). */
function sealedAad(kdf: ScryptParams): Uint8Array {
  const header = {
    format: FORMAT,
    version: 1,
    sealed: true,
    kdf: { name: kdf.name, N: kdf.N, r: kdf.r, p: kdf.p, salt: kdf.salt },
  };
  return new TextEncoder().encode(JSON.stringify(header));
}

function checkPassphrase(passphrase: string | undefined): void {
  if (passphrase !== undefined && (typeof passphrase !== 'string' || passphrase.length === 0)) {
    throw new ValidationError('the passphrase must be a non-empty string');
  }
}

async function serialize(root: SecretBytes, passphrase: string | undefined, N: number): Promise<string> {
  if (passphrase === undefined) {
    return JSON.stringify(
      { format: FORMAT, version: 1, sealed: false, key: Buffer.from(exposeSecret(root)).toString('base64') },
      null,
      2,
    );
  }
  const kdf: ScryptParams = {
    name: 'scrypt',
    N,
    r: SCRYPT_R,
    p: SCRYPT_P,
    salt: randomBytes(SALT_BYTES).toString('base64'),
  };
  const kek = await deriveSealingKey(passphrase, kdf);
  try {
    const sealed = aesGcmEncrypt(kek, exposeSecret(root), sealedAad(kdf));
    const enc = (b: Uint8Array): string => Buffer.from(b).toString('base64');
    return JSON.stringify(
      {
        format: FORMAT,
        version: 1,
        sealed: true,
        kdf,
        iv: enc(sealed.iv),
        ciphertext: enc(sealed.ciphertext),
        tag: enc(sealed.tag),
      },
      null,
      2,
    );
  } finally {
    kek.wipe();
  }
}

/** Writes `text` at `path` atomically and without ever replacing an existing file (link(2) fails with EEXIST). */
export async function writeNewFile(path: string, text: string): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${randomBytes(8).toString('hex')}.tmp`);
  const fh = await open(tmp, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL, 0o600);
  try {
    try {
      await fh.writeFile(text + '\n', 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    // rename(2) would silently replace a file created meanwhile; link(2) refuses.
    await link(tmp, path).catch((err: unknown) => {
      throw isRecord(err) && err.code === 'EEXIST' ? new ConflictError(`root key file already exists: ${path}`) : err;
    });
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
  const dh = await open(dir, 'r');
  try {
    await dh.sync(); // make the new directory entry durable
  } finally {
    await dh.close();
  }
}

/**
 * Creates a new root key file with a fresh random 256-bit key; ConflictError (ALREADY_EXISTS) if the path exists.
 * @example await createFileRootKey({ path: '/var/lib/custos/root.key', passphrase })
 */
export async function createFileRootKey(options: Omit<FileRootOfTrustOptions, 'create'>): Promise<RootOfTrust> {
  checkPassphrase(options.passphrase);
  const N = options.scryptCost ?? DEFAULT_SCRYPT_N;
  if (options.passphrase !== undefined) checkScryptParams(N, SCRYPT_R, SCRYPT_P);
  const root = SecretBytes.random(ROOT_KEY_BYTES);
  try {
    await writeNewFile(options.path, await serialize(root, options.passphrase, N));
  } catch (err) {
    root.wipe();
    throw err;
  }
  return new FileRootOfTrust(root);
}

/** The file's text (undefined when it does not exist); refused when it is not a regular file or is not mode 0600. */
export async function readRootKeyFile(path: string): Promise<string | undefined> {
  let fh;
  try {
    fh = await open(path, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ValidationError(
      `cannot open root key file ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
      'VALIDATION_ERROR',
      { cause: err },
    );
  }
  try {
    // fstat the open handle, not the path, so the file checked is the file read.
    const st = await fh.stat();
    if (!st.isFile()) throw new ValidationError(`root key file is not a regular file: ${path}`);
    if ((st.mode & 0o077) !== 0) {
      throw new ValidationError(
        `root key file ${path} has mode ${(st.mode & 0o777).toString(8)}: it must not be accessible to group or others (chmod 600)`,
      );
    }
    return await fh.readFile('utf8');
  } finally {
    await fh.close();
  }
}

async function parseRootKey(text: string, passphrase: string | undefined): Promise<SecretBytes> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw malformed('not JSON');
  }
  if (!isRecord(doc)) throw malformed('not a JSON object');
  if (doc.format === FORMAT && doc.seal === 'shamir')
    throw new ValidationError(
      'the root key file is sealed by Shamir shares: use the shamir root of trust and unseal it',
    );
  if (doc.format !== FORMAT || doc.version !== 1) throw malformed(`format must be "${FORMAT}" version 1`);
  if (doc.sealed === false) {
    expectFields(doc, ['format', 'version', 'sealed', 'key']);
    if (passphrase !== undefined)
      throw new ValidationError('the root key file is not sealed, but a passphrase was given');
    const key = b64(doc.key, 'key', ROOT_KEY_BYTES);
    const root = SecretBytes.from(key);
    key.fill(0);
    return root;
  }
  if (doc.sealed !== true) throw malformed('sealed must be true or false');
  expectFields(doc, ['format', 'version', 'sealed', 'kdf', 'iv', 'ciphertext', 'tag']);
  const kdf = doc.kdf;
  if (!isRecord(kdf) || kdf.name !== 'scrypt') throw malformed('kdf must be scrypt');
  expectFields(kdf, ['name', 'N', 'r', 'p', 'salt']);
  checkScryptParams(kdf.N, kdf.r, kdf.p);
  if (b64(kdf.salt, 'kdf.salt').length < 16) throw malformed('kdf.salt must be at least 16 bytes');
  const sealed = {
    iv: b64(doc.iv, 'iv', GCM_IV_BYTES),
    ciphertext: b64(doc.ciphertext, 'ciphertext', ROOT_KEY_BYTES),
    tag: b64(doc.tag, 'tag', GCM_TAG_BYTES),
  };
  if (passphrase === undefined) throw new ValidationError('the root key file is sealed: a passphrase is required');
  const params = kdf as unknown as ScryptParams;
  const kek = await deriveSealingKey(passphrase, params);
  try {
    return SecretBytes.adopt(aesGcmDecrypt(kek, sealed, sealedAad(params)));
  } catch (cause) {
    throw new ValidationError('wrong passphrase or corrupted root key file', 'VALIDATION_ERROR', { cause });
  } finally {
    kek.wipe();
  }
}

function expectFields(obj: Record<string, unknown>, fields: readonly string[]): void {
  const keys = Object.keys(obj);
  if (keys.length !== fields.length || !fields.every((f) => keys.includes(f)))
    throw malformed(`expected exactly the fields ${fields.join(', ')}`);
}

/**
 * Opens (or creates) a root key file. Errors: file missing and create false; wrong passphrase; a sealed file
 * opened without a passphrase; a plain file opened with one; a file with permissions wider than 0600 or
 * malformed content. Each is a clear ValidationError/InternalError whose message never contains key bytes.
 * @example const rot = await openFileRootOfTrust({ path: 'root.key', passphrase: process.env.CUSTOS_PASSPHRASE });
 */
export async function openFileRootOfTrust(options: FileRootOfTrustOptions): Promise<RootOfTrust> {
  checkPassphrase(options.passphrase);
  let text = await readRootKeyFile(options.path);
  if (text === undefined) {
    if (!options.create) throw new ValidationError(`root key file not found: ${options.path}`);
    try {
      return await createFileRootKey(options);
    } catch (err) {
      // Another process created it first: open theirs rather than fail.
      if (!(err instanceof ConflictError)) throw err;
      text = await readRootKeyFile(options.path);
      if (text === undefined) throw err;
    }
  }
  return new FileRootOfTrust(await parseRootKey(text, options.passphrase));
}

/**
 * The root of trust of a root key already in memory (a Shamir-sealed file, once unsealed): the same wrapping and
 * derived keys as a root key file holding that key. Takes ownership of `root` (wiped on close).
 * @example const rot = rootOfTrustFromKey(SecretBytes.adopt(unsealed));
 */
export function rootOfTrustFromKey(root: SecretBytes): RootOfTrust {
  return new FileRootOfTrust(root);
}

class FileRootOfTrust implements RootOfTrust {
  readonly keyCheckValue: string;
  #root: SecretBytes | undefined;

  constructor(root: SecretBytes) {
    this.#root = root;
    // A key check value: a one-way function of the key under a fixed label, safe to log and store.
    this.keyCheckValue = Buffer.from(hmacGenerate('HMAC_SHA_256', root, KCV_LABEL).subarray(0, 16)).toString('hex');
  }

  #key(): SecretBytes {
    if (this.#root === undefined) throw new InternalError('the root of trust is closed');
    return this.#root;
  }

  async wrap(material: SecretBytes, aad: Uint8Array): Promise<Uint8Array> {
    const sealed = aesGcmEncrypt(this.#key(), exposeSecret(material), aad);
    const out = new Uint8Array(1 + sealed.iv.length + sealed.ciphertext.length + sealed.tag.length);
    out[0] = WRAP_FORMAT_V1;
    out.set(sealed.iv, 1);
    out.set(sealed.ciphertext, 1 + GCM_IV_BYTES);
    out.set(sealed.tag, out.length - GCM_TAG_BYTES);
    return out;
  }

  async unwrap(wrapped: Uint8Array, aad: Uint8Array): Promise<SecretBytes> {
    const key = this.#key();
    try {
      if (wrapped.length < 1 + GCM_IV_BYTES + GCM_TAG_BYTES || wrapped[0] !== WRAP_FORMAT_V1)
        throw new Error('bad wrap format');
      const sealed = {
        iv: wrapped.subarray(1, 1 + GCM_IV_BYTES),
        ciphertext: wrapped.subarray(1 + GCM_IV_BYTES, wrapped.length - GCM_TAG_BYTES),
        tag: wrapped.subarray(wrapped.length - GCM_TAG_BYTES),
      };
      return SecretBytes.adopt(aesGcmDecrypt(key, sealed, aad));
    } catch (cause) {
      throw new InternalError('stored key material failed to unwrap: wrong root key or corrupted record', { cause });
    }
  }

  async deriveKey(purpose: DerivedKeyPurpose): Promise<SecretBytes> {
    const derived = hkdfSync('sha256', exposeSecret(this.#key()), DERIVE_SALT, purpose, ROOT_KEY_BYTES);
    return SecretBytes.adopt(new Uint8Array(derived));
  }

  async close(): Promise<void> {
    this.#root?.wipe();
    this.#root = undefined;
  }
}

/** A JSON object (not null, not an array), as parsed from the file or thrown by node:fs. */
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
