import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aesGcmDecrypt, aesGcmEncrypt } from '../../src/core/algorithms/aes-gcm.js';
import {
  ciphertextAad,
  decodeCiphertext,
  encodeCiphertext,
  encodeEncryptionContext,
} from '../../src/core/ciphertext/index.js';
import { SecretBytes } from '../../src/core/secret-bytes.js';

const KEY_ID = '0b7e7d2c-5a4f-4e1b-9c3d-2f6a8b9c0d1e';
const hexOf = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code ?? 'NO_CODE';
  }
}

function sampleBlob(version = 3): Uint8Array {
  return encodeCiphertext({
    keyId: KEY_ID,
    version,
    iv: new Uint8Array(12).fill(1),
    ciphertext: new Uint8Array([9, 8, 7]),
    tag: new Uint8Array(16).fill(2),
  });
}

describe('ciphertext format 1', () => {
  it('lays out format byte, raw key id, big-endian version, IV, ciphertext, tag', () => {
    expect(hexOf(sampleBlob(0x01020304))).toBe(
      '01' + '0b7e7d2c5a4f4e1b9c3d2f6a8b9c0d1e' + '01020304' + '01'.repeat(12) + '090807' + '02'.repeat(16),
    );
  });

  it('decodes what it encodes', () => {
    fc.assert(
      fc.property(
        fc.uuid(),
        fc.integer({ min: 1, max: 0xffffffff }),
        fc.uint8Array({ maxLength: 100 }),
        (keyId, version, ciphertext) => {
          const blob = { keyId, version, iv: new Uint8Array(12).fill(5), ciphertext, tag: new Uint8Array(16).fill(6) };
          const decoded = decodeCiphertext(encodeCiphertext(blob));
          expect(decoded).toEqual(blob);
        },
      ),
    );
  });

  it('decodes a blob that is a view into a larger buffer', () => {
    const blob = sampleBlob(9);
    const padded = new Uint8Array(blob.length + 10);
    padded.set(blob, 5);
    expect(decodeCiphertext(padded.subarray(5, 5 + blob.length)).version).toBe(9);
  });

  it.each([
    ['empty', () => new Uint8Array(0)],
    ['too short for header, IV and tag', () => sampleBlob().subarray(0, 21 + 12 + 15)],
    ['unknown format byte', () => Uint8Array.of(0x02, ...sampleBlob().subarray(1))],
    ['format byte zero', () => Uint8Array.of(0x00, ...sampleBlob().subarray(1))],
    [
      'version 0',
      () => {
        const b = sampleBlob();
        b.set([0, 0, 0, 0], 17);
        return b;
      },
    ],
  ])('rejects a malformed blob (%s) with INVALID_CIPHERTEXT', (_name, make) => {
    expect(codeOf(() => decodeCiphertext(make()))).toBe('INVALID_CIPHERTEXT');
  });

  it('accepts an empty ciphertext (the shortest well-formed blob is 49 bytes)', () => {
    const shortest = encodeCiphertext({
      keyId: KEY_ID,
      version: 1,
      iv: new Uint8Array(12),
      ciphertext: new Uint8Array(0),
      tag: new Uint8Array(16),
    });
    expect(shortest.length).toBe(49);
    expect(decodeCiphertext(shortest).ciphertext.length).toBe(0);
  });

  it('refuses to encode a non-UUID key id or version 0 (INTERNAL: a caller bug)', () => {
    expect(
      codeOf(() =>
        encodeCiphertext({
          keyId: 'alias/x',
          version: 1,
          iv: new Uint8Array(12),
          ciphertext: new Uint8Array(0),
          tag: new Uint8Array(16),
        }),
      ),
    ).toBe('INTERNAL');
    expect(codeOf(() => ciphertextAad({ keyId: KEY_ID, version: 0 }, undefined))).toBe('INTERNAL');
    // UUID-shaped but not hex, and one hex digit short: both refused, not encoded as a shorter id.
    for (const keyId of [KEY_ID.replace(/^./, 'g'), `${KEY_ID.slice(0, 35)}-`, KEY_ID.replaceAll('-', '_')]) {
      expect(codeOf(() => ciphertextAad({ keyId, version: 1 }, undefined))).toBe('INTERNAL');
    }
  });
});

describe('ciphertextAad', () => {
  it('is the blob header followed by the encoded context', () => {
    const aad = ciphertextAad({ keyId: KEY_ID, version: 3 }, { a: 'b' });
    expect(hexOf(aad)).toBe(hexOf(sampleBlob(3).subarray(0, 21)) + hexOf(encodeEncryptionContext({ a: 'b' })));
  });

  it('binds key id, version and context: decrypting with any other fails with INVALID_CIPHERTEXT', () => {
    const key = SecretBytes.random(32);
    const sealed = aesGcmEncrypt(
      key,
      new Uint8Array([1, 2, 3]),
      ciphertextAad({ keyId: KEY_ID, version: 2 }, { tenant: 'a' }),
    );
    expect(aesGcmDecrypt(key, sealed, ciphertextAad({ keyId: KEY_ID, version: 2 }, { tenant: 'a' }))).toEqual(
      new Uint8Array([1, 2, 3]),
    );
    for (const aad of [
      ciphertextAad({ keyId: KEY_ID, version: 3 }, { tenant: 'a' }),
      ciphertextAad({ keyId: '1b7e7d2c-5a4f-4e1b-9c3d-2f6a8b9c0d1e', version: 2 }, { tenant: 'a' }),
      ciphertextAad({ keyId: KEY_ID, version: 2 }, { tenant: 'b' }),
      ciphertextAad({ keyId: KEY_ID, version: 2 }, undefined),
    ]) {
      expect(codeOf(() => aesGcmDecrypt(key, sealed, aad))).toBe('INVALID_CIPHERTEXT');
    }
  });
});

describe('encodeEncryptionContext', () => {
  it('encodes undefined and {} as a zero count', () => {
    expect(hexOf(encodeEncryptionContext(undefined))).toBe('00000000');
    expect(hexOf(encodeEncryptionContext({}))).toBe('00000000');
  });

  it('spells out count, then length-prefixed key and value', () => {
    expect(hexOf(encodeEncryptionContext({ k: 'vv' }))).toBe('00000001' + '00000001' + '6b' + '00000002' + '7676');
  });

  it('is independent of insertion order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.string()), (ctx) => {
        const reversed = Object.fromEntries(Object.entries(ctx).reverse());
        expect(hexOf(encodeEncryptionContext(reversed))).toBe(hexOf(encodeEncryptionContext(ctx)));
      }),
    );
  });

  it('is unambiguous: {a: "bc"}, {ab: "c"} and {a: "b", c: ""} all differ', () => {
    const contexts: Record<string, string>[] = [{ a: 'bc' }, { ab: 'c' }, { a: 'b', c: '' }, { '': 'abc' }];
    const encodings = contexts.map((c) => hexOf(encodeEncryptionContext(c)));
    expect(new Set(encodings).size).toBe(encodings.length);
  });

  it('gives different maps different encodings', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.string()), fc.dictionary(fc.string(), fc.string()), (a, b) => {
        const same = JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
        expect(hexOf(encodeEncryptionContext(a)) === hexOf(encodeEncryptionContext(b))).toBe(same);
      }),
    );
  });

  it('sorts by UTF-8 bytes, not UTF-16 code units', () => {
    // U+FF21 (UTF-8 ef bc a1) sorts before U+1F511 (f0 9f 94 91), though its UTF-16 unit 0xFF21 > 0xD83D.
    const hexed = hexOf(encodeEncryptionContext({ '\u{1F511}': '', '\uFF21': '' }));
    expect(hexed.indexOf('efbca1')).toBeLessThan(hexed.indexOf('f09f9491'));
  });

  it('rejects a non-string value with VALIDATION_ERROR', () => {
    expect(codeOf(() => encodeEncryptionContext({ a: 1 as unknown as string }))).toBe('VALIDATION_ERROR');
  });
});

describe('golden blob (format 1 must decrypt forever)', () => {
  const fixture = JSON.parse(readFileSync(new URL('../fixtures/ciphertext-v1.json', import.meta.url), 'utf8')) as {
    key: string;
    keyId: string;
    version: number;
    encryptionContext: Record<string, string>;
    encodedEncryptionContext: string;
    blob: string;
    plaintext: string;
  };

  it('decodes to the recorded key id and version and decrypts to the recorded plaintext', () => {
    const blob = decodeCiphertext(Buffer.from(fixture.blob, 'hex'));
    expect(blob.keyId).toBe(fixture.keyId);
    expect(blob.version).toBe(fixture.version);
    const key = SecretBytes.from(Buffer.from(fixture.key, 'hex'));
    const plaintext = aesGcmDecrypt(key, blob, ciphertextAad(blob, fixture.encryptionContext));
    expect(new TextDecoder().decode(plaintext)).toBe(fixture.plaintext);
  });

  it('still encodes its encryption context byte for byte', () => {
    expect(hexOf(encodeEncryptionContext(fixture.encryptionContext))).toBe(fixture.encodedEncryptionContext);
  });

  it('re-encodes to the same bytes', () => {
    expect(hexOf(encodeCiphertext(decodeCiphertext(Buffer.from(fixture.blob, 'hex'))))).toBe(fixture.blob);
  });
});
