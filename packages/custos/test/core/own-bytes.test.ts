// ownBytes: byte results over buffers of their own, copied out of Node's shared pool only when they are a slice of it.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ownBytes } from '../../src/core/own-bytes.js';

describe('ownBytes', () => {
  it('copies a slice of a shared buffer out, with the same bytes', () => {
    const shared = Buffer.from(randomBytes(64));
    const slice = shared.subarray(8, 40);
    const owned = ownBytes(slice);
    expect([owned.byteOffset, owned.buffer.byteLength]).toEqual([0, 32]);
    expect(owned.buffer).not.toBe(shared.buffer);
    expect(Buffer.from(owned).equals(slice)).toBe(true);
  });

  it('views a buffer that is already its own, without a copy, as a plain Uint8Array', () => {
    const alone = Buffer.from(new Uint8Array(32).fill(7).buffer);
    const owned = ownBytes(alone);
    expect(owned.buffer).toBe(alone.buffer);
    expect(Buffer.isBuffer(owned)).toBe(false);
  });
});
