// The CSTE envelope stream format (@custos/client/stream) in-process: round trips, and every tampering (STREAM: reorder, drop, truncate, append) fails.
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ByteReader,
  DEFAULT_FRAME_SIZE,
  FrameSealer,
  decryptStream,
  encodeHeader,
  encryptStream,
  isStreamFormat,
} from '../src/stream.js';

const FRAME = 64; // small frames keep the cases fast and many-framed
const HEADER_FIXED = 11;
const NONCE = 12;
const TAG = 16;

/** A stand-in for the KMS blob of the data key: the format treats it as opaque bytes. */
const BLOB = Uint8Array.from([0x01, ...randomBytes(80)]);

async function* chunked(data: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, Math.min(data.length, i + size));
}

async function collect(gen: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const p of gen) parts.push(Buffer.from(p));
  return Buffer.concat(parts);
}

async function encrypt(plaintext: Uint8Array, key: Uint8Array, frameSize = FRAME, chunk = 37): Promise<Buffer> {
  return collect(encryptStream(chunked(plaintext, chunk), key, BLOB, frameSize));
}

/** Decrypts, returning the plaintext released before any failure and the failure's code. */
async function decrypt(
  ciphertext: Uint8Array,
  key: Uint8Array,
  chunk = 29,
): Promise<{ released: Buffer; code?: string }> {
  const parts: Buffer[] = [];
  try {
    for await (const p of decryptStream(new ByteReader(chunked(ciphertext, chunk)), async () => Uint8Array.from(key)))
      parts.push(p);
    return { released: Buffer.concat(parts) };
  } catch (err) {
    return { released: Buffer.concat(parts), code: (err as { code?: string }).code ?? String(err) };
  }
}

/** Splits an encoded stream into its header and its frames (as laid out on the wire). */
function split(stream: Buffer): { header: Buffer; frames: Buffer[] } {
  const blobLength = stream.readUInt16BE(9);
  const headerLength = HEADER_FIXED + blobLength + NONCE;
  const frames: Buffer[] = [];
  for (let at = headerLength; at < stream.length;) {
    const n = stream.readUInt32BE(at + 1);
    frames.push(stream.subarray(at, at + 5 + n + TAG));
    at += 5 + n + TAG;
  }
  return { header: stream.subarray(0, headerLength), frames };
}

const join = (header: Buffer, frames: Buffer[]) => Buffer.concat([header, ...frames]);

describe('CLI envelope stream format', () => {
  const key = randomBytes(32);

  it.each([0, 1, FRAME - 1, FRAME, FRAME + 1, 2 * FRAME, 5 * FRAME + 7, 4097])('round-trips %i bytes', async (size) => {
    const plaintext = randomBytes(size);
    const ct = await encrypt(plaintext, key);
    const { released, code } = await decrypt(ct, key);
    expect(code).toBeUndefined();
    expect(released.equals(plaintext)).toBe(true);
  });

  it('round-trips whatever the chunking of input and ciphertext', async () => {
    const plaintext = randomBytes(10 * FRAME + 3);
    for (const [inChunk, outChunk] of [
      [1, 1],
      [FRAME, 7],
      [1000, 1000],
      [3, 4096],
    ] as const) {
      const { released, code } = await decrypt(await encrypt(plaintext, key, FRAME, inChunk), key, outChunk);
      expect(code).toBeUndefined();
      expect(released.equals(plaintext)).toBe(true);
    }
  });

  it('round-trips 1 MiB with the default frame size', async () => {
    const plaintext = randomBytes(1024 * 1024);
    const ct = await encrypt(plaintext, key, DEFAULT_FRAME_SIZE, 65536);
    expect(split(ct).frames).toHaveLength(16); // 16 full frames, the last one marked final
    expect((await decrypt(ct, key, 65536)).released.equals(plaintext)).toBe(true);
  });

  it('starts with CSTE and version 1, unlike a KMS blob (0x01)', async () => {
    const ct = await encrypt(randomBytes(10), key);
    expect(ct.subarray(0, 5).toString('latin1')).toBe('CSTE\x01');
    expect(isStreamFormat(ct)).toBe(true);
    expect(isStreamFormat(BLOB)).toBe(false);
  });

  it('marks only the last frame final, and non-final frames are full', async () => {
    const { frames } = split(await encrypt(randomBytes(3 * FRAME + 5), key));
    expect(frames.map((f) => f[0])).toEqual([0, 0, 0, 1]);
    expect(frames.map((f) => f.readUInt32BE(1))).toEqual([FRAME, FRAME, FRAME, 5]);
  });

  it('two encryptions of the same input differ (random base nonce)', async () => {
    const plaintext = randomBytes(200);
    expect((await encrypt(plaintext, key)).equals(await encrypt(plaintext, key))).toBe(false);
  });

  describe('fails with INVALID_CIPHERTEXT, releasing nothing of a bad frame', () => {
    const plaintext = randomBytes(5 * FRAME + 10); // frames 0..4 full, frame 5 final (10 bytes)
    let ct: Buffer;
    beforeAll(async () => {
      ct = await encrypt(plaintext, key);
    });
    const parts = async () => split(ct);

    it('when a byte of a middle frame’s ciphertext is flipped', async () => {
      const { header, frames } = await parts();
      const bad = Buffer.from(frames[2]!);
      bad[5 + 10]! ^= 0x01;
      const { released, code } = await decrypt(join(header, [frames[0]!, frames[1]!, bad, ...frames.slice(3)]), key);
      expect(code).toBe('INVALID_CIPHERTEXT');
      expect(released.equals(plaintext.subarray(0, 2 * FRAME))).toBe(true); // frames 0 and 1 only
    });

    it('when a tag byte is flipped', async () => {
      const { header, frames } = await parts();
      const bad = Buffer.from(frames[1]!);
      bad[bad.length - 1]! ^= 0x80;
      expect((await decrypt(join(header, [frames[0]!, bad, ...frames.slice(2)]), key)).code).toBe('INVALID_CIPHERTEXT');
    });

    it('when the last frame is dropped (truncation at a frame boundary)', async () => {
      const { header, frames } = await parts();
      const { released, code } = await decrypt(join(header, frames.slice(0, -1)), key);
      expect(code).toBe('INVALID_CIPHERTEXT');
      expect(released.equals(plaintext.subarray(0, 5 * FRAME))).toBe(true); // verified frames only; the CLI removes --out on failure
    });

    it('when the last frame is cut short', async () => {
      expect((await decrypt(ct.subarray(0, ct.length - 3), key)).code).toBe('INVALID_CIPHERTEXT');
    });

    it('when the stream stops inside the header', async () => {
      expect((await decrypt(ct.subarray(0, 20), key)).code).toBe('INVALID_CIPHERTEXT');
    });

    it('when a middle frame is dropped', async () => {
      const { header, frames } = await parts();
      expect((await decrypt(join(header, [frames[0]!, frames[1]!, ...frames.slice(3)]), key)).code).toBe(
        'INVALID_CIPHERTEXT',
      );
    });

    it('when two frames are swapped', async () => {
      const { header, frames } = await parts();
      const { released, code } = await decrypt(
        join(header, [frames[0]!, frames[2]!, frames[1]!, ...frames.slice(3)]),
        key,
      );
      expect(code).toBe('INVALID_CIPHERTEXT');
      expect(released.equals(plaintext.subarray(0, FRAME))).toBe(true);
    });

    it('when a frame is repeated', async () => {
      const { header, frames } = await parts();
      expect((await decrypt(join(header, [frames[0]!, frames[0]!, ...frames.slice(1)]), key)).code).toBe(
        'INVALID_CIPHERTEXT',
      );
    });

    it('when a frame is appended after the final one', async () => {
      const { header, frames } = await parts();
      expect((await decrypt(join(header, [...frames, frames.at(-1)!]), key)).code).toBe('INVALID_CIPHERTEXT');
      expect((await decrypt(Buffer.concat([ct, Buffer.from([0])]), key)).code).toBe('INVALID_CIPHERTEXT');
    });

    it('when the final flag is moved (the last full frame claims to be final)', async () => {
      const { header, frames } = await parts();
      const bad = Buffer.from(frames[4]!);
      bad[0] = 1;
      expect((await decrypt(join(header, [...frames.slice(0, 4), bad]), key)).code).toBe('INVALID_CIPHERTEXT');
    });

    it('when the final frame’s flag is cleared', async () => {
      const { header, frames } = await parts();
      const bad = Buffer.from(frames[5]!);
      bad[0] = 0;
      expect((await decrypt(join(header, [...frames.slice(0, 5), bad]), key)).code).toBe('INVALID_CIPHERTEXT');
    });

    it('when a length field is altered', async () => {
      const { header, frames } = await parts();
      const bad = Buffer.from(frames[5]!);
      bad.writeUInt32BE(9, 1);
      expect((await decrypt(join(header, [...frames.slice(0, 5), bad]), key)).code).toBe('INVALID_CIPHERTEXT');
    });

    it('when a header byte (nonce, frame size, magic, version) is altered', async () => {
      const { header, frames } = await parts();
      for (const at of [0, 4, 8, header.length - 1]) {
        const bad = Buffer.from(header);
        bad[at]! ^= 0x01;
        expect((await decrypt(join(bad, frames), key)).code, `header byte ${at}`).toBe('INVALID_CIPHERTEXT');
      }
    });

    it('when a frame is spliced in from another encryption under the same data key', async () => {
      const { header, frames } = await parts();
      const other = split(await encrypt(randomBytes(plaintext.length), key));
      expect((await decrypt(join(header, [frames[0]!, other.frames[1]!, ...frames.slice(2)]), key)).code).toBe(
        'INVALID_CIPHERTEXT',
      );
    });

    it('when the data key is wrong', async () => {
      expect((await decrypt(ct, randomBytes(32))).code).toBe('INVALID_CIPHERTEXT');
    });
  });

  it('rejects a header whose frame size is over the limit before reading frames', async () => {
    const header = encodeHeader(BLOB, 64);
    header.writeUInt32BE(0x7fffffff, 5);
    expect((await decrypt(header, key)).code).toBe('INVALID_CIPHERTEXT');
  });

  it('holds version 1 to its 6144-byte data key blob: larger is refused when writing and when reading', async () => {
    expect(encodeHeader(new Uint8Array(6144).fill(1)).length).toBe(HEADER_FIXED + 6144 + NONCE);
    expect(() => encodeHeader(new Uint8Array(6145).fill(1))).toThrow(RangeError);
    // A header claiming a 6145-byte blob, with the blob and nonce present: refused before the blob is decrypted.
    const header = encodeHeader(new Uint8Array(6144).fill(1));
    header.writeUInt16BE(6145, 9);
    let unwrapped = 0;
    const frames = decryptStream(new ByteReader(chunked(Buffer.concat([header, Buffer.alloc(1)]), 512)), async () => {
      unwrapped++;
      return Uint8Array.from(key);
    });
    await expect(collect(frames)).rejects.toMatchObject({ code: 'INVALID_CIPHERTEXT' });
    expect(unwrapped).toBe(0);
  });

  it('ByteReader: peek consumes nothing, read takes exact counts, remaining yields every unread byte', async () => {
    const data = randomBytes(10_000);
    const reader = new ByteReader(chunked(data, 333));
    expect((await reader.peek(4097)).equals(data.subarray(0, 4097))).toBe(true);
    expect((await reader.read(10)).equals(data.subarray(0, 10))).toBe(true);
    expect((await collect(reader.remaining())).equals(data.subarray(10))).toBe(true);
    expect(await new ByteReader(chunked(Buffer.alloc(0), 1)).atEnd()).toBe(true);
  });

  it('a sealer refuses to go on after the final frame', () => {
    const sealer = new FrameSealer(key, encodeHeader(BLOB, 64));
    sealer.seal(Buffer.alloc(3), true);
    expect(() => sealer.seal(Buffer.alloc(3), true)).toThrow();
  });
});
