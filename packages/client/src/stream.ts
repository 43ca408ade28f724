// @custos/client/stream: the CSTE envelope format for data too large for one Encrypt call: a header, then
// AES-256-GCM frames (STREAM). Imports only node:crypto and @custos/contract; the main entry never imports it.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { InvalidCiphertextError } from '@custos/contract';
import { ByteReader } from './byte-reader.js';

export { ByteReader };

/*
 * Envelope stream format, version 1 (released formats are never edited; a new layout gets a new
 * version byte and its own decoder beside this one).
 *
 * The data is encrypted under a fresh AES-256 data key from GenerateDataKey (same key id and
 * encryption context as the command); only the data key's KMS ciphertext blob is stored.
 *
 *   header
 *   0        4     5              9           11                  11+L               23+L
 *   +--------+-----+--------------+-----------+-------------------+------------------+
 *   | "CSTE" | 0x01| frame size F | blob len L| encrypted data key| base nonce N     |
 *   | ASCII  | ver | uint32 BE    | uint16 BE | (KMS blob, L bytes| 12 random bytes  |
 *   |        |     | 1..16 MiB    | 1..6144   |  first byte 0x01) |                  |
 *   +--------+-----+--------------+-----------+-------------------+------------------+
 *   H = SHA-256(every header byte above)
 *
 *   then frames i = 0, 1, 2, ... (non-final frames hold exactly F plaintext bytes, the final one 0..F)
 *   +-------+-------------+------------------------------+----------+
 *   | flag  | length n    | AES-256-GCM ciphertext       | tag      |
 *   | 0x00 / | uint32 BE  | (n bytes)                    | 16 bytes |
 *   | 0x01=final          |                              |          |
 *   +-------+-------------+------------------------------+----------+
 *   IV_i  = N XOR (0x00000000 || uint64 BE i)          (distinct per frame; TLS 1.3 §5.3 style)
 *   AAD_i = H || uint64 BE i || flag                    (41 bytes)
 *
 * This is the STREAM construction (Hoang, Reyhanitabar, Rogaway, Vizár, "Online
 * Authenticated-Encryption and its Nonce-Reuse Misuse-Resistance", CRYPTO 2015): binding the
 * index makes reordering or dropping a frame fail; binding the final flag makes truncation
 * (no final frame before end of input) and appending (bytes after the final frame) fail; binding
 * H ties every frame to this data key, frame size and nonce, so frames cannot be spliced between
 * files. A KMS blob starts with 0x01 and this format with 'C' (0x43): the first byte tells them apart.
 * Decoders release a frame's plaintext only after its tag verifies (GCM `final()`), and buffer at
 * most one frame.
 */

export const STREAM_MAGIC = Buffer.from('CSTE', 'ascii');
export const STREAM_VERSION = 0x01;
/** Plaintext bytes per frame the encoder writes. */
export const DEFAULT_FRAME_SIZE = 64 * 1024;
/** Largest frame size a decoder accepts: bounds the memory a hostile header can make it use. */
export const MAX_FRAME_SIZE = 16 * 1024 * 1024;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const FRAME_HEADER_BYTES = 5;
const FIXED_HEADER_BYTES = 11; // magic, version, frame size, blob length
const DATA_KEY_BYTES = 32;
/** Version 1's bound on the data key blob, fixed by the released format (not the API's ciphertext limit, which may change). */
const V1_MAX_BLOB_BYTES = 6144;

/** The parsed header of an envelope stream. */
export interface StreamHeader {
  readonly frameSize: number;
  readonly encryptedDataKey: Uint8Array;
  readonly baseNonce: Uint8Array;
}

/** Whether the first bytes of an input are this format's magic (a KMS blob starts with 0x01 instead). */
export function isStreamFormat(prefix: Uint8Array): boolean {
  return (
    prefix.length >= STREAM_MAGIC.length && STREAM_MAGIC.equals(Buffer.from(prefix.subarray(0, STREAM_MAGIC.length)))
  );
}

/** Serialises a header. `baseNonce` defaults to 12 fresh random bytes. */
export function encodeHeader(
  encryptedDataKey: Uint8Array,
  frameSize = DEFAULT_FRAME_SIZE,
  baseNonce: Uint8Array = randomBytes(NONCE_BYTES),
): Buffer {
  if (!Number.isInteger(frameSize) || frameSize < 1 || frameSize > MAX_FRAME_SIZE)
    throw new RangeError('frame size out of range');
  if (encryptedDataKey.length < 1 || encryptedDataKey.length > V1_MAX_BLOB_BYTES)
    throw new RangeError('data key blob size out of range');
  if (baseNonce.length !== NONCE_BYTES) throw new RangeError('base nonce must be 12 bytes');
  const out = Buffer.alloc(FIXED_HEADER_BYTES + encryptedDataKey.length + NONCE_BYTES);
  STREAM_MAGIC.copy(out, 0);
  out[4] = STREAM_VERSION;
  out.writeUInt32BE(frameSize, 5);
  out.writeUInt16BE(encryptedDataKey.length, 9);
  out.set(encryptedDataKey, FIXED_HEADER_BYTES);
  out.set(baseNonce, FIXED_HEADER_BYTES + encryptedDataKey.length);
  return out;
}

function invalid(): InvalidCiphertextError {
  return new InvalidCiphertextError();
}

function frameIv(baseNonce: Uint8Array, index: number): Buffer {
  if (!Number.isSafeInteger(index) || index < 0) throw invalid();
  const iv = Buffer.from(baseNonce);
  const hi = Math.floor(index / 2 ** 32);
  const lo = index >>> 0;
  iv.writeUInt32BE((iv.readUInt32BE(4) ^ hi) >>> 0, 4);
  iv.writeUInt32BE((iv.readUInt32BE(8) ^ lo) >>> 0, 8);
  return iv;
}

function frameAad(headerHash: Buffer, index: number, final: boolean): Buffer {
  const aad = Buffer.alloc(headerHash.length + 9);
  headerHash.copy(aad, 0);
  aad.writeUInt32BE(Math.floor(index / 2 ** 32), headerHash.length);
  aad.writeUInt32BE(index >>> 0, headerHash.length + 4);
  aad[headerHash.length + 8] = final ? 1 : 0;
  return aad;
}

function checkDataKey(dataKey: Uint8Array): void {
  if (dataKey.length !== DATA_KEY_BYTES) throw new RangeError('the data key must be 32 bytes (AES-256)');
}

/**
 * Seals frames in order. Call `seal` for each frame, the last with `final = true`.
 *
 * @example
 * const header = encodeHeader(blob);
 * const sealer = new FrameSealer(dataKey, header);
 * out.write(header); out.write(sealer.seal(chunk, true));
 */
export class FrameSealer {
  readonly #key: Uint8Array;
  readonly #nonce: Uint8Array;
  readonly #hash: Buffer;
  #index = 0;
  #done = false;

  constructor(dataKey: Uint8Array, header: Uint8Array) {
    checkDataKey(dataKey);
    this.#key = dataKey;
    this.#nonce = header.subarray(header.length - NONCE_BYTES);
    this.#hash = createHash('sha256').update(header).digest();
  }

  seal(plaintext: Uint8Array, final: boolean): Buffer {
    if (this.#done) throw new Error('the stream is already finished');
    const index = this.#index++;
    this.#done = final;
    const cipher = createCipheriv('aes-256-gcm', this.#key, frameIv(this.#nonce, index), { authTagLength: TAG_BYTES });
    cipher.setAAD(frameAad(this.#hash, index, final));
    const head = Buffer.alloc(FRAME_HEADER_BYTES);
    head[0] = final ? 1 : 0;
    head.writeUInt32BE(plaintext.length, 1);
    return Buffer.concat([head, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  }
}

/** The header of an envelope stream whose magic has not been consumed yet; every malformation is INVALID_CIPHERTEXT. */
export async function readHeader(reader: ByteReader): Promise<{ header: StreamHeader; headerBytes: Buffer }> {
  const fixed = await reader.readExact(FIXED_HEADER_BYTES);
  if (!isStreamFormat(fixed) || fixed[4] !== STREAM_VERSION) throw invalid();
  const frameSize = fixed.readUInt32BE(5);
  const blobLength = fixed.readUInt16BE(9);
  if (frameSize < 1 || frameSize > MAX_FRAME_SIZE || blobLength < 1 || blobLength > V1_MAX_BLOB_BYTES) throw invalid();
  const rest = await reader.readExact(blobLength + NONCE_BYTES);
  const headerBytes = Buffer.concat([fixed, rest]);
  return {
    header: {
      frameSize,
      encryptedDataKey: new Uint8Array(rest.subarray(0, blobLength)),
      baseNonce: new Uint8Array(rest.subarray(blobLength)),
    },
    headerBytes,
  };
}

/**
 * Yields the verified plaintext of each frame after the header, in order. Throws
 * InvalidCiphertextError on any tag failure, on a frame longer than the header allows, on a
 * non-final frame shorter than the frame size, on input that ends before a final frame, and on
 * bytes after the final frame. No byte of a frame is yielded before its tag verifies.
 */
export async function* openFrames(
  reader: ByteReader,
  dataKey: Uint8Array,
  header: StreamHeader,
  headerBytes: Uint8Array,
): AsyncGenerator<Buffer> {
  if (dataKey.length !== DATA_KEY_BYTES) throw invalid();
  const hash = createHash('sha256').update(headerBytes).digest();
  for (let index = 0; ; index++) {
    const head = await reader.readExact(FRAME_HEADER_BYTES);
    const flag = head[0];
    const length = head.readUInt32BE(1);
    if (flag !== 0 && flag !== 1) throw invalid();
    const final = flag === 1;
    if (length > header.frameSize || (!final && length !== header.frameSize)) throw invalid();
    const body = await reader.readExact(length + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', dataKey, frameIv(header.baseNonce, index), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(frameAad(hash, index, final));
    decipher.setAuthTag(body.subarray(length));
    const parts: Buffer[] = [decipher.update(body.subarray(0, length))];
    try {
      parts.push(decipher.final()); // verifies the tag; nothing of this frame has been released before this line
    } catch (cause) {
      throw new InvalidCiphertextError({ cause });
    }
    if (final) {
      if (!(await reader.atEnd())) throw invalid();
      yield Buffer.concat(parts);
      return;
    }
    yield Buffer.concat(parts);
  }
}

/**
 * Re-chunks a byte source into frames of `frameSize` and seals them; the last frame (possibly
 * empty) is marked final. Holds at most one frame plus one source chunk in memory.
 */
export async function* sealFrames(
  source: AsyncIterable<Uint8Array>,
  sealer: FrameSealer,
  frameSize = DEFAULT_FRAME_SIZE,
): AsyncGenerator<Buffer> {
  let pending: Buffer = Buffer.alloc(0);
  for await (const chunk of source) {
    pending =
      pending.length === 0
        ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
        : Buffer.concat([pending, chunk]);
    // Emit only frames known not to be last: strictly more than one frame's worth is buffered.
    let offset = 0;
    while (pending.length - offset > frameSize) {
      yield sealer.seal(pending.subarray(offset, offset + frameSize), false);
      offset += frameSize;
    }
    pending = pending.subarray(offset);
  }
  yield sealer.seal(pending, true);
}

/**
 * Encrypts a whole byte source into the envelope format (header first).
 *
 * @example
 * const { plaintext, ciphertextBlob } = await kms.generateDataKey({ keyId, keySpec: 'AES_256' });
 * for await (const bytes of encryptStream(input, plaintext, ciphertextBlob)) out.write(bytes);
 */
export async function* encryptStream(
  source: AsyncIterable<Uint8Array>,
  dataKey: Uint8Array,
  encryptedDataKey: Uint8Array,
  frameSize = DEFAULT_FRAME_SIZE,
): AsyncGenerator<Buffer> {
  checkDataKey(dataKey);
  const header = encodeHeader(encryptedDataKey, frameSize);
  yield header;
  yield* sealFrames(source, new FrameSealer(dataKey, header), frameSize);
}

/**
 * Decrypts an envelope stream: reads the header, asks `unwrap` for the data key, then yields
 * verified plaintext frame by frame.
 *
 * @example
 * const unwrap = async (blob) => (await kms.decrypt({ ciphertextBlob: blob, encryptionContext })).plaintext;
 * for await (const bytes of decryptStream(new ByteReader(input), unwrap)) out.write(bytes);
 */
export async function* decryptStream(
  reader: ByteReader,
  unwrap: (encryptedDataKey: Uint8Array) => Promise<Uint8Array>,
): AsyncGenerator<Buffer> {
  const { header, headerBytes } = await readHeader(reader);
  const dataKey = await unwrap(header.encryptedDataKey);
  try {
    yield* openFrames(reader, dataKey, header, headerBytes);
  } finally {
    dataKey.fill(0);
  }
}
