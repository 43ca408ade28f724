// UUIDs in binary formats: written byte for byte, refused when malformed, and the module's cache never shared.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InternalError } from '@custos/contract';
import { bytesToUuid, isUuid, writeUuid } from '../../src/core/uuid.js';

describe('UUID bytes', () => {
  it('writes the 16 bytes at the offset and reads them back, whatever the case of the text', () => {
    const id = randomUUID();
    const out = new Uint8Array(20);
    writeUuid(out, 2, id.toUpperCase());
    expect(Buffer.from(out.subarray(2, 18)).toString('hex')).toBe(id.replaceAll('-', ''));
    expect([out[0], out[1], out[18], out[19]]).toEqual([0, 0, 0, 0]);
    expect(bytesToUuid(out.subarray(2, 18))).toBe(id);
  });

  it('a caller changing what it got never changes what the next caller gets', () => {
    const id = randomUUID();
    const first = new Uint8Array(16);
    writeUuid(first, 0, id);
    first.fill(0xff);
    const second = new Uint8Array(16);
    writeUuid(second, 0, id);
    expect(bytesToUuid(second)).toBe(id);
  });

  it.each([
    '',
    'not-a-uuid',
    '1234abcd-12ab-34cd-56ef-1234567890a',
    '1234abcd-12ab-34cd-56ef-1234567890ag',
    '1234abcd_12ab-34cd-56ef-1234567890ab',
  ])("%j is not a UUID: INTERNAL (ids written are Custos's own)", (bad) => {
    expect(isUuid(bad)).toBe(false);
    expect(() => {
      writeUuid(new Uint8Array(16), 0, bad);
    }).toThrow(InternalError);
  });

  it('reads exactly 16 bytes: a shorter or longer view is INTERNAL, never the bytes beside it', () => {
    const out = new Uint8Array(32);
    writeUuid(out, 0, randomUUID());
    for (const view of [out.subarray(0, 15), out.subarray(0, 17), out.subarray(1, 1)]) {
      expect(() => bytesToUuid(view)).toThrow(InternalError);
    }
  });
});
