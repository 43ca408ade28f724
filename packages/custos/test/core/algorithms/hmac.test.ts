import { MAC_ALGORITHMS } from '@custos/contract';
import { describe, expect, it } from 'vitest';
import { hmacGenerate, hmacVerify } from '../../../src/core/algorithms/hmac.js';
import { SecretBytes } from '../../../src/core/secret-bytes.js';

const msg = new TextEncoder().encode('message');
const DIGEST_BYTES = { HMAC_SHA_224: 28, HMAC_SHA_256: 32, HMAC_SHA_384: 48, HMAC_SHA_512: 64 } as const;

describe.each(MAC_ALGORITHMS)('%s', (algorithm) => {
  const key = SecretBytes.random(32);

  it('generates a full-length MAC that verifies', () => {
    const mac = hmacGenerate(algorithm, key, msg);
    expect(mac.length).toBe(DIGEST_BYTES[algorithm]);
    expect(hmacVerify(algorithm, key, msg, mac)).toBe(true);
  });

  it('returns false for a truncated MAC, even a correct prefix', () => {
    const mac = hmacGenerate(algorithm, key, msg);
    expect(hmacVerify(algorithm, key, msg, mac.subarray(0, 16))).toBe(false);
    expect(hmacVerify(algorithm, key, msg, new Uint8Array(0))).toBe(false);
  });

  it('returns false for an over-long MAC, a changed MAC, another message or another key', () => {
    const mac = hmacGenerate(algorithm, key, msg);
    expect(hmacVerify(algorithm, key, msg, new Uint8Array([...mac, 0]))).toBe(false);
    const changed = new Uint8Array(mac);
    changed[0]! ^= 1;
    expect(hmacVerify(algorithm, key, msg, changed)).toBe(false);
    expect(hmacVerify(algorithm, key, new TextEncoder().encode('messagf'), mac)).toBe(false);
    expect(hmacVerify(algorithm, SecretBytes.random(32), msg, mac)).toBe(false);
  });
});

describe('hmacGenerate', () => {
  it('matches RFC 4231 test case 2 for HMAC-SHA-256', () => {
    const key = SecretBytes.from(new TextEncoder().encode('Jefe'));
    const mac = hmacGenerate('HMAC_SHA_256', key, new TextEncoder().encode('what do ya want for nothing?'));
    expect(Buffer.from(mac).toString('hex')).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });
});
