import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aesGcmDecrypt, aesGcmEncrypt, type GcmSealed } from '../../../src/core/algorithms/aes-gcm.js';
import { SecretBytes } from '../../../src/core/secret-bytes.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code ?? 'NO_CODE';
  }
}

function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = new Uint8Array(bytes);
  out[bit >> 3]! ^= 1 << (bit & 7);
  return out;
}

describe('aesGcmEncrypt / aesGcmDecrypt', () => {
  it.each([16, 24, 32])('round-trips with a %i-byte key', (keyBytes) => {
    const key = SecretBytes.random(keyBytes);
    const sealed = aesGcmEncrypt(key, utf8('attack at dawn'), utf8('aad'));
    expect(sealed.iv.length).toBe(12);
    expect(sealed.tag.length).toBe(16);
    expect(new TextDecoder().decode(aesGcmDecrypt(key, sealed, utf8('aad')))).toBe('attack at dawn');
  });

  it('round-trips an empty plaintext with empty AAD', () => {
    const key = SecretBytes.random(32);
    const sealed = aesGcmEncrypt(key, new Uint8Array(0), new Uint8Array(0));
    expect(sealed.ciphertext.length).toBe(0);
    expect(aesGcmDecrypt(key, sealed, new Uint8Array(0))).toEqual(new Uint8Array(0));
  });

  it('gives different IVs and ciphertexts for two encryptions of the same plaintext', () => {
    const key = SecretBytes.random(32);
    const a = aesGcmEncrypt(key, utf8('same'), utf8(''));
    const b = aesGcmEncrypt(key, utf8('same'), utf8(''));
    expect(Buffer.from(a.iv).equals(Buffer.from(b.iv))).toBe(false);
    expect(Buffer.from(a.ciphertext).equals(Buffer.from(b.ciphertext))).toBe(false);
  });

  it('never repeats an IV across refills of its random pool, and hands out IVs and ciphertexts of their own', () => {
    const key = SecretBytes.random(16);
    const ivs = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const sealed = aesGcmEncrypt(key, utf8('x'), utf8(''));
      ivs.add(Buffer.from(sealed.iv).toString('hex'));
      for (const part of [sealed.iv, sealed.ciphertext, sealed.tag]) expect(part.buffer.byteLength).toBe(part.length);
    }
    expect(ivs.size).toBe(2000);
  });

  it('refuses to encrypt under a key that is not 16, 24 or 32 bytes', () => {
    expect(codeOf(() => aesGcmEncrypt(SecretBytes.random(20), utf8('x'), utf8('')))).toBe('INTERNAL');
  });

  it('fails with INVALID_CIPHERTEXT when any bit of the IV, ciphertext, tag or AAD is flipped', () => {
    const key = SecretBytes.random(32);
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.uint8Array({ minLength: 1, maxLength: 32 }),
        fc.constantFrom('iv', 'ciphertext', 'tag', 'aad'),
        fc.nat(),
        (plaintext, aad, part, n) => {
          const sealed = aesGcmEncrypt(key, plaintext, aad);
          const target = part === 'aad' ? aad : sealed[part];
          const flipped = flipBit(target, n % (target.length * 8));
          const tampered: GcmSealed = part === 'aad' ? sealed : { ...sealed, [part]: flipped };
          expect(codeOf(() => aesGcmDecrypt(key, tampered, part === 'aad' ? flipped : aad))).toBe('INVALID_CIPHERTEXT');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('fails with INVALID_CIPHERTEXT when the ciphertext or tag is truncated', () => {
    const key = SecretBytes.random(16);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.nat(), (plaintext, n) => {
        const sealed = aesGcmEncrypt(key, plaintext, new Uint8Array(0));
        const cut = n % plaintext.length;
        expect(
          codeOf(() =>
            aesGcmDecrypt(key, { ...sealed, ciphertext: sealed.ciphertext.subarray(0, cut) }, new Uint8Array(0)),
          ),
        ).toBe('INVALID_CIPHERTEXT');
        expect(
          codeOf(() => aesGcmDecrypt(key, { ...sealed, tag: sealed.tag.subarray(0, n % 16) }, new Uint8Array(0))),
        ).toBe('INVALID_CIPHERTEXT');
      }),
    );
  });

  it('fails with INVALID_CIPHERTEXT under a different key or a key of another length', () => {
    const sealed = aesGcmEncrypt(SecretBytes.random(32), utf8('secret'), utf8(''));
    expect(codeOf(() => aesGcmDecrypt(SecretBytes.random(32), sealed, utf8('')))).toBe('INVALID_CIPHERTEXT');
    expect(codeOf(() => aesGcmDecrypt(SecretBytes.random(20), sealed, utf8('')))).toBe('INVALID_CIPHERTEXT');
  });

  it('rejects an IV that is not 12 bytes even when the tag would verify for it', () => {
    const key = SecretBytes.random(32);
    const sealed = aesGcmEncrypt(key, utf8('x'), utf8(''));
    expect(codeOf(() => aesGcmDecrypt(key, { ...sealed, iv: new Uint8Array(16) }, utf8('')))).toBe(
      'INVALID_CIPHERTEXT',
    );
  });
});
