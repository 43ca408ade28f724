import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { KmsError, WRAPPING_ALGORITHMS } from '@custos/contract';
import {
  rsaOaepDecrypt,
  rsaOaepEncrypt,
  unwrapImportedMaterial,
  wrapForImport,
} from '../../../src/core/algorithms/rsa.js';
import { keySpec } from '../../../src/core/key-specs.js';
import type { GeneratedKey } from '../../../src/core/key-material.js';
import { exposeSecret } from '../../../src/core/secret-bytes.js';
import { fixtureKey } from '../key-fixtures.js';

const OAEP = ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] as const;
/** k - 2hLen - 2 for RSA-2048 (RFC 8017 §7.1.1). */
const MAX_PLAINTEXT = { RSAES_OAEP_SHA_1: 256 - 2 * 20 - 2, RSAES_OAEP_SHA_256: 256 - 2 * 32 - 2 } as const;

let rsa2048: GeneratedKey & { publicKey: Uint8Array };
let rsa4096: GeneratedKey & { publicKey: Uint8Array };
beforeAll(async () => {
  rsa2048 = (await fixtureKey(keySpec('RSA_2048'))) as typeof rsa2048;
  rsa4096 = (await fixtureKey(keySpec('RSA_4096'))) as typeof rsa4096;
});

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof KmsError ? error.code : 'not a KmsError';
  }
};

describe('RSAES-OAEP', () => {
  it.each(OAEP)(
    '%s: decrypt(encrypt(m)) = m, from empty up to the longest plaintext the modulus allows',
    (algorithm) => {
      for (const length of [0, 1, 32, MAX_PLAINTEXT[algorithm]]) {
        const plaintext = randomBytes(length);
        const ciphertext = rsaOaepEncrypt(algorithm, rsa2048.publicKey, plaintext);
        expect(ciphertext.length).toBe(256);
        expect(Buffer.from(rsaOaepDecrypt(algorithm, rsa2048.material, ciphertext))).toEqual(plaintext);
      }
    },
  );

  it.each(OAEP)('%s: two encryptions of the same plaintext differ', (algorithm) => {
    const plaintext = randomBytes(16);
    expect(Buffer.from(rsaOaepEncrypt(algorithm, rsa2048.publicKey, plaintext))).not.toEqual(
      Buffer.from(rsaOaepEncrypt(algorithm, rsa2048.publicKey, plaintext)),
    );
  });

  it.each(OAEP)('%s: a plaintext one byte too long fails with VALIDATION_ERROR', (algorithm) => {
    expect(
      codeOf(() => rsaOaepEncrypt(algorithm, rsa2048.publicKey, new Uint8Array(MAX_PLAINTEXT[algorithm] + 1))),
    ).toBe('VALIDATION_ERROR');
  });

  it.each(OAEP)('%s: a ciphertext with any byte altered fails with INVALID_CIPHERTEXT', (algorithm) => {
    const ciphertext = rsaOaepEncrypt(algorithm, rsa2048.publicKey, randomBytes(32));
    for (const index of [0, 1, 100, 255]) {
      const tampered = new Uint8Array(ciphertext);
      tampered[index]! ^= 0x01;
      expect(codeOf(() => rsaOaepDecrypt(algorithm, rsa2048.material, tampered))).toBe('INVALID_CIPHERTEXT');
    }
  });

  it('a truncated, extended or empty ciphertext fails with INVALID_CIPHERTEXT', () => {
    const ciphertext = rsaOaepEncrypt('RSAES_OAEP_SHA_256', rsa2048.publicKey, randomBytes(32));
    for (const bad of [ciphertext.subarray(1), Buffer.concat([ciphertext, Buffer.of(0)]), new Uint8Array(0)]) {
      expect(codeOf(() => rsaOaepDecrypt('RSAES_OAEP_SHA_256', rsa2048.material, bad))).toBe('INVALID_CIPHERTEXT');
    }
  });

  it('decrypting with the other OAEP hash fails with INVALID_CIPHERTEXT (the hash is pinned, not negotiated)', () => {
    const ciphertext = rsaOaepEncrypt('RSAES_OAEP_SHA_256', rsa2048.publicKey, randomBytes(32));
    expect(codeOf(() => rsaOaepDecrypt('RSAES_OAEP_SHA_1', rsa2048.material, ciphertext))).toBe('INVALID_CIPHERTEXT');
  });

  it('a public key that is not RSA fails with INVALID_PUBLIC_KEY', async () => {
    const ec = await fixtureKey(keySpec('ECC_NIST_P256'));
    expect(codeOf(() => rsaOaepEncrypt('RSAES_OAEP_SHA_256', ec.publicKey ?? new Uint8Array(), randomBytes(16)))).toBe(
      'INVALID_PUBLIC_KEY',
    );
  });
});

describe('import wrapping (AWS GetParametersForImport / ImportKeyMaterial)', () => {
  it.each(WRAPPING_ALGORITHMS)('%s: unwrap(wrap(material)) = material for a 32-byte AES key', (algorithm) => {
    const material = randomBytes(32);
    const wrapped = wrapForImport(algorithm, rsa2048.publicKey, material);
    expect(Buffer.from(exposeSecret(unwrapImportedMaterial(algorithm, rsa2048.material, wrapped)))).toEqual(material);
  });

  it.each(['RSA_AES_KEY_WRAP_SHA_1', 'RSA_AES_KEY_WRAP_SHA_256'] as const)(
    '%s: carries material too long for OAEP (an RSA-4096 PKCS#8 key) as OAEP(ephemeral key) || AES-KWP(material)',
    (algorithm) => {
      const material = exposeSecret(rsa4096.material);
      const wrapped = wrapForImport(algorithm, rsa2048.publicKey, material);
      // RFC 5649: the KWP part is the material padded to 8 bytes plus the 8-byte integrity block.
      expect(wrapped.length).toBe(256 + Math.ceil(material.length / 8) * 8 + 8);
      expect(Buffer.from(exposeSecret(unwrapImportedMaterial(algorithm, rsa2048.material, wrapped)))).toEqual(
        Buffer.from(material),
      );
    },
  );

  it.each(WRAPPING_ALGORITHMS)('%s: truncated wrapped material fails with INVALID_KEY_MATERIAL', (algorithm) => {
    const wrapped = wrapForImport(algorithm, rsa2048.publicKey, randomBytes(32));
    for (const cut of [1, 8, wrapped.length - 1]) {
      expect(
        codeOf(() => unwrapImportedMaterial(algorithm, rsa2048.material, wrapped.subarray(0, wrapped.length - cut))),
      ).toBe('INVALID_KEY_MATERIAL');
    }
  });

  it.each(WRAPPING_ALGORITHMS)('%s: altered wrapped material fails with INVALID_KEY_MATERIAL', (algorithm) => {
    const wrapped = new Uint8Array(wrapForImport(algorithm, rsa2048.publicKey, randomBytes(32)));
    wrapped[wrapped.length - 1]! ^= 0x80;
    expect(codeOf(() => unwrapImportedMaterial(algorithm, rsa2048.material, wrapped))).toBe('INVALID_KEY_MATERIAL');
  });

  it('material wrapped for one algorithm does not unwrap under another', () => {
    const wrapped = wrapForImport('RSA_AES_KEY_WRAP_SHA_256', rsa2048.publicKey, randomBytes(32));
    expect(codeOf(() => unwrapImportedMaterial('RSA_AES_KEY_WRAP_SHA_1', rsa2048.material, wrapped))).toBe(
      'INVALID_KEY_MATERIAL',
    );
    expect(codeOf(() => unwrapImportedMaterial('RSAES_OAEP_SHA_256', rsa2048.material, wrapped))).toBe(
      'INVALID_KEY_MATERIAL',
    );
  });

  it('RSAES_OAEP_SHA_256 refuses material longer than OAEP can carry with VALIDATION_ERROR', () => {
    expect(codeOf(() => wrapForImport('RSAES_OAEP_SHA_256', rsa2048.publicKey, randomBytes(191)))).toBe(
      'VALIDATION_ERROR',
    );
  });
});
