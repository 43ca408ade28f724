// Wycheproof AES-KW (RFC 3394) and AES-KWP (RFC 5649) vectors (CRYPTO-PITFALLS 3).
import { createDecipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { aesKeyUnwrap, aesKeyUnwrapPad, aesKeyWrap, aesKeyWrapPad } from '../../../src/core/algorithms/aes-kw.js';
import { exposeSecret, SecretBytes } from '../../../src/core/secret-bytes.js';
import { hex, loadWycheproof, VectorTally, type WycheproofTest } from './wycheproof.js';

interface KeywrapTest extends WycheproofTest {
  key: string;
  msg: string;
  ct: string;
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code ?? 'NO_CODE';
  }
}

const RUNNERS = [
  {
    file: 'aes_wrap_test.json',
    wrap: aesKeyWrap,
    unwrap: aesKeyUnwrap,
    wrappable: (n: number) => n >= 16 && n % 8 === 0,
  },
  { file: 'aes_kwp_test.json', wrap: aesKeyWrapPad, unwrap: aesKeyUnwrapPad, wrappable: (n: number) => n >= 1 },
] as const;

describe.each(RUNNERS)('Wycheproof $file', ({ file, wrap, unwrap, wrappable }) => {
  it('wraps and unwraps every valid vector exactly and rejects every invalid one with INVALID_KEY_MATERIAL', () => {
    const tally = new VectorTally();
    for (const group of loadWycheproof<KeywrapTest>(file).testGroups) {
      for (const t of group.tests) {
        const kek = SecretBytes.from(hex(t.key));
        const msg = hex(t.msg);
        let accepted: boolean;
        try {
          accepted = Buffer.from(exposeSecret(unwrap(kek, hex(t.ct)))).equals(Buffer.from(msg));
        } catch (err) {
          expect((err as { code?: string }).code, `tcId ${t.tcId}`).toBe('INVALID_KEY_MATERIAL');
          accepted = false;
        }
        tally.record(t, accepted);
        if (t.result === 'valid') {
          expect(Buffer.from(wrap(kek, SecretBytes.from(msg))).toString('hex'), `tcId ${t.tcId}`).toBe(t.ct);
        } else if (!wrappable(msg.length)) {
          expect(
            codeOf(() => wrap(kek, SecretBytes.from(msg))),
            `tcId ${t.tcId}`,
          ).toBe('INVALID_KEY_MATERIAL');
        }
      }
    }
    console.log(tally.report(file));
    expect(tally.validRejected).toEqual([]);
    expect(tally.invalidAccepted).toEqual([]);
    expect(tally.validAccepted).toBeGreaterThan(0);
    expect(tally.invalidRejected).toBeGreaterThan(0);
  });
});

describe('AES key wrap length checks (pitfall 3)', () => {
  it('rejects an empty KW ciphertext that node:crypto alone unwraps to an empty key', () => {
    const kek = SecretBytes.random(32);
    const bare = createDecipheriv('id-aes256-wrap', exposeSecret(kek), Buffer.from('a6a6a6a6a6a6a6a6', 'hex'));
    expect(Buffer.concat([bare.update(new Uint8Array(0)), bare.final()]).length).toBe(0); // the pitfall is real
    expect(codeOf(() => aesKeyUnwrap(kek, new Uint8Array(0)))).toBe('INVALID_KEY_MATERIAL');
  });

  it('rejects an empty KWP ciphertext and one whose length is not a multiple of 8', () => {
    const kek = SecretBytes.random(16);
    expect(codeOf(() => aesKeyUnwrapPad(kek, new Uint8Array(0)))).toBe('INVALID_KEY_MATERIAL');
    expect(codeOf(() => aesKeyUnwrapPad(kek, new Uint8Array(20)))).toBe('INVALID_KEY_MATERIAL');
  });

  it('rejects a KEK that is not 16, 24 or 32 bytes', () => {
    expect(codeOf(() => aesKeyWrap(SecretBytes.random(20), SecretBytes.random(32)))).toBe('INVALID_KEY_MATERIAL');
    expect(codeOf(() => aesKeyUnwrapPad(SecretBytes.random(8), new Uint8Array(24)))).toBe('INVALID_KEY_MATERIAL');
  });
});
