// The symmetric ciphertext blob (self-describing: format byte, key id, version, IV, ct, tag)
// and the canonical encoding of encryption contexts. Pure; no I/O. A released format is never edited.
// Must not import store, keystore, service or api.
import { InternalError, InvalidCiphertextError, ValidationError } from '@custos/contract';
import { bytesToUuid, UUID_BYTES, writeUuid } from '../uuid.js';

/*
 * Format 1 (released; never edit — a new layout gets a new format byte and its own decoder):
 *
 *   0      1                  17            21          33                 n-16        n
 *   +------+------------------+-------------+-----------+------------------+-----------+
 *   | 0x01 | key id (16 bytes,| version     | IV        | AES-GCM          | tag       |
 *   |      | raw UUID, RFC    | uint32 BE,  | 12 bytes  | ciphertext       | 16 bytes  |
 *   |      | 9562 §4 order)   | >= 1        |           | (0..n bytes)     |           |
 *   +------+------------------+-------------+-----------+------------------+-----------+
 *   \______________ header (21 bytes) ______/
 *
 * The AAD of the GCM is  header || encodeEncryptionContext(context), so the key id, version and
 * context are all authenticated: a blob moved to another key, version or context fails to decrypt.
 *
 * Encryption context encoding (sorted, length-prefixed, so that no two maps share an encoding):
 *
 *   count: uint32 BE | for each entry, sorted by key's UTF-8 bytes:
 *                    |   key length uint32 BE | key UTF-8 | value length uint32 BE | value UTF-8
 *
 * An undefined or empty context encodes as count 0: 00 00 00 00.
 */

export interface CiphertextV1 {
  readonly keyId: string; // UUID
  readonly version: number; // key version, >= 1
  readonly iv: Uint8Array;
  readonly ciphertext: Uint8Array;
  readonly tag: Uint8Array;
}

const FORMAT_V1 = 0x01;
const KEY_ID_BYTES = UUID_BYTES;
const VERSION_AT = 1 + KEY_ID_BYTES;
const HEADER_BYTES = 1 + KEY_ID_BYTES + 4;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const MAX_VERSION = 0xffff_ffff;
/** Writes the 21-byte header (format, key id, version) at the start of `out`. */
function writeHeader(out: Uint8Array, keyId: string, version: number): void {
  if (!Number.isInteger(version) || version < 1 || version > MAX_VERSION)
    throw new InternalError('version must be a uint32 >= 1');
  out[0] = FORMAT_V1;
  writeUuid(out, 1, keyId);
  // uint32, big-endian
  out[VERSION_AT] = version >>> 24;
  out[VERSION_AT + 1] = (version >>> 16) & 0xff;
  out[VERSION_AT + 2] = (version >>> 8) & 0xff;
  out[VERSION_AT + 3] = version & 0xff;
}

/** Encodes a blob in format 1. @example encodeCiphertext({ keyId, version: 1, ...aesGcmEncrypt(key, pt, aad) }) */
export function encodeCiphertext(blob: CiphertextV1): Uint8Array {
  if (blob.iv.length !== IV_BYTES || blob.tag.length !== TAG_BYTES)
    throw new InternalError('format 1 takes a 12-byte IV and a 16-byte tag');
  // A buffer of its own, never a slice of Node's shared pool: the pool also holds other requests' plaintext, and a
  // blob's `.buffer` travels with it (structured clone, postMessage, Buffer.from(blob.buffer)). Not zero-filled:
  // every byte is written below.
  const out = new Uint8Array(
    Buffer.allocUnsafeSlow(HEADER_BYTES + IV_BYTES + blob.ciphertext.length + TAG_BYTES).buffer,
  );
  writeHeader(out, blob.keyId, blob.version);
  out.set(blob.iv, HEADER_BYTES);
  out.set(blob.ciphertext, HEADER_BYTES + IV_BYTES);
  out.set(blob.tag, out.length - TAG_BYTES);
  return out;
}

/** Decodes any known format; throws InvalidCiphertextError for anything malformed or unknown. @example decodeCiphertext(blob).keyId */
export function decodeCiphertext(bytes: Uint8Array): CiphertextV1 {
  if (bytes.length < HEADER_BYTES + IV_BYTES + TAG_BYTES || bytes[0] !== FORMAT_V1) throw new InvalidCiphertextError();
  const version = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(VERSION_AT, false);
  if (version === 0) throw new InvalidCiphertextError();
  // Views of the blob, not copies (a 1 KiB copy costs more than the decryption): plain Uint8Arrays whatever
  // `bytes` is, valid as long as the caller leaves the blob unchanged.
  const view = (from: number, to: number): Uint8Array =>
    new Uint8Array(bytes.buffer, bytes.byteOffset + from, to - from);
  const ivEnd = HEADER_BYTES + IV_BYTES;
  return {
    keyId: bytesToUuid(bytes.subarray(1, 1 + KEY_ID_BYTES)),
    version,
    iv: view(HEADER_BYTES, ivEnd),
    ciphertext: view(ivEnd, bytes.length - TAG_BYTES),
    tag: view(bytes.length - TAG_BYTES, bytes.length),
  };
}

/** The additional data for the blob's GCM: its header (everything before the IV) followed by the context. */
export function ciphertextAad(
  blob: Pick<CiphertextV1, 'keyId' | 'version'>,
  encryptionContext: Record<string, string> | undefined,
): Uint8Array {
  const context = encodeEncryptionContext(encryptionContext);
  const out = new Uint8Array(HEADER_BYTES + context.length);
  writeHeader(out, blob.keyId, blob.version);
  out.set(context, HEADER_BYTES);
  return out;
}

/** A plain Uint8Array (not a Buffer, whose `.buffer` may be Node's shared pool). */
function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function uint32(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n, false);
  return out;
}

/**
 * Canonical, unambiguous encoding of an encryption context (sorted keys, length-prefixed UTF-8).
 * @example encodeEncryptionContext({ tenant: 'a' }) // 00000001 00000006 'tenant' 00000001 'a'
 */
export function encodeEncryptionContext(context: Record<string, string> | undefined): Uint8Array {
  if (context === undefined) return new Uint8Array(4); // count 0
  const entries = Object.entries(context).map(([k, v]) => {
    if (typeof v !== 'string') throw new ValidationError('encryption context values must be strings');
    return [Buffer.from(k, 'utf8'), Buffer.from(v, 'utf8')] as const;
  });
  // Sort by UTF-8 bytes, not UTF-16 code units: the two orders differ above U+FFFF vs U+E000..U+FFFF.
  entries.sort(([a], [b]) => Buffer.compare(a, b));
  const parts: Uint8Array[] = [uint32(entries.length)];
  for (const [k, v] of entries) parts.push(uint32(k.length), k, uint32(v.length), v);
  return concat(parts);
}
