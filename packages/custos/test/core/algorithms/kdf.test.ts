import { pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveKey, type DeriveParams } from '../../../src/core/algorithms/kdf.js';
import { exposeSecret, SecretBytes } from '../../../src/core/secret-bytes.js';
import type { DerivationAlgorithm } from '@custos/contract';

const input = SecretBytes.from(new TextEncoder().encode('password'));
const salt16 = new Uint8Array(16).fill(7);

function codeOf(algorithm: DerivationAlgorithm, params: DeriveParams): string | undefined {
  try {
    deriveKey(algorithm, input, params);
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code ?? 'NO_CODE';
  }
}

describe('deriveKey HKDF', () => {
  it('matches RFC 5869 test case 1 (HKDF-SHA-256)', () => {
    const ikm = SecretBytes.from(Buffer.from('0b'.repeat(22), 'hex'));
    const okm = deriveKey('HKDF_SHA_256', ikm, {
      salt: Buffer.from('000102030405060708090a0b0c', 'hex'),
      info: Buffer.from('f0f1f2f3f4f5f6f7f8f9', 'hex'),
      length: 42,
    });
    expect(Buffer.from(exposeSecret(okm)).toString('hex')).toBe(
      '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
    );
  });

  it.each([
    ['HKDF_SHA_256', 255 * 32],
    ['HKDF_SHA_384', 255 * 48],
    ['HKDF_SHA_512', 255 * 64],
  ] as const)(
    '%s accepts 1 and %i bytes and rejects 0, one more, and non-integers with VALIDATION_ERROR',
    (alg, max) => {
      expect(deriveKey(alg, input, { salt: new Uint8Array(0), length: 1 }).length).toBe(1);
      expect(deriveKey(alg, input, { salt: new Uint8Array(0), length: max }).length).toBe(max);
      expect(codeOf(alg, { salt: new Uint8Array(0), length: 0 })).toBe('VALIDATION_ERROR');
      expect(codeOf(alg, { salt: new Uint8Array(0), length: max + 1 })).toBe('VALIDATION_ERROR');
      expect(codeOf(alg, { salt: new Uint8Array(0), length: 1.5 })).toBe('VALIDATION_ERROR');
    },
  );

  it('rejects iterations and an over-long info with VALIDATION_ERROR', () => {
    expect(codeOf('HKDF_SHA_256', { salt: salt16, iterations: 1000, length: 32 })).toBe('VALIDATION_ERROR');
    expect(codeOf('HKDF_SHA_256', { salt: salt16, info: new Uint8Array(1025), length: 32 })).toBe('VALIDATION_ERROR');
  });
});

describe('deriveKey PBKDF2', () => {
  it('agrees with a direct pbkdf2Sync call (RFC 7914 §11 vectors use a 4-byte salt, below our 16-byte minimum)', () => {
    const okm = deriveKey('PBKDF2_SHA_512', input, { salt: salt16, iterations: 1000, length: 64 });
    expect(Buffer.from(exposeSecret(okm)).equals(pbkdf2Sync('password', salt16, 1000, 64, 'sha512'))).toBe(true);
  });

  it.each(['PBKDF2_SHA_256', 'PBKDF2_SHA_512'] as const)(
    '%s rejects out-of-range iterations, length and salt with VALIDATION_ERROR',
    (alg) => {
      const ok = { salt: salt16, iterations: 1000, length: 32 };
      expect(deriveKey(alg, input, ok).length).toBe(32);
      expect(codeOf(alg, { ...ok, iterations: 999 })).toBe('VALIDATION_ERROR');
      expect(codeOf(alg, { ...ok, iterations: 10_000_001 })).toBe('VALIDATION_ERROR');
      expect(codeOf(alg, { salt: salt16, length: 32 })).toBe('VALIDATION_ERROR'); // iterations missing
      expect(codeOf(alg, { ...ok, length: 0 })).toBe('VALIDATION_ERROR');
      expect(codeOf(alg, { ...ok, length: 1025 })).toBe('VALIDATION_ERROR');
      expect(codeOf(alg, { ...ok, salt: new Uint8Array(15) })).toBe('VALIDATION_ERROR');
      expect(codeOf(alg, { ...ok, info: new Uint8Array(1) })).toBe('VALIDATION_ERROR');
    },
  );
});
