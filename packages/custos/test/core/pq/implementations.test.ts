// Both post-quantum implementations agree: same seed → same public key, signatures and ciphertexts work across.
// The node:crypto half needs Node ≥ 24.7 (CI's Node 24) and is skipped, saying so, elsewhere.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nativePq, nativePqAvailable } from '../../../src/core/pq/native.js';
import { noblePq } from '../../../src/core/pq/noble.js';
import { PQ, PQ_IMPLEMENTATIONS } from '../../../src/core/pq/implementation.js';
import * as P from '../../../src/core/pq/parameters.js';

const DSA = [P.ML_DSA_44_PARAMETERS, P.ML_DSA_65_PARAMETERS, P.ML_DSA_87_PARAMETERS];
const KEM = [P.ML_KEM_512_PARAMETERS, P.ML_KEM_768_PARAMETERS, P.ML_KEM_1024_PARAMETERS];
const native = nativePqAvailable();
const seedOf = (parameters: P.PqParameters) => new Uint8Array(randomBytes(parameters.seedBytes));

describe('post-quantum implementation choice', () => {
  it(`uses node:crypto exactly when the runtime has ML-DSA and ML-KEM (here: ${PQ.name}, Node ${process.version})`, () => {
    expect(PQ_IMPLEMENTATIONS.map((i) => i.name)).toEqual(
      native ? ['node:crypto', '@noble/post-quantum'] : ['@noble/post-quantum'],
    );
    expect(PQ.name).toBe(native ? 'node:crypto' : '@noble/post-quantum');
  });
});

describe.each(DSA)('$name with noble', (parameters) => {
  it('signs and verifies; a changed message or context fails', () => {
    const seed = seedOf(parameters);
    const publicKey = noblePq.publicKey(parameters, seed);
    expect(publicKey).toHaveLength(parameters.publicKeyBytes);
    const message = new TextEncoder().encode('post-quantum');
    const signature = noblePq.sign(noblePq.prepare(parameters, seed), message);
    expect(signature).toHaveLength(parameters.outputBytes);
    expect(noblePq.verify(parameters, publicKey, message, signature)).toBe(true);
    expect(noblePq.verify(parameters, publicKey, message.subarray(1), signature)).toBe(false);
    expect(noblePq.verify(parameters, publicKey, message, signature, Uint8Array.of(1))).toBe(false);
    expect(noblePq.verify(parameters, publicKey, message, signature.subarray(1))).toBe(false);
  });
});

describe.each(KEM)('$name with noble', (parameters) => {
  it('decapsulates what it encapsulated; a changed ciphertext gives another secret (implicit rejection)', () => {
    const seed = seedOf(parameters);
    const { sharedSecret, ciphertext } = noblePq.encapsulate(parameters, noblePq.publicKey(parameters, seed));
    expect(ciphertext).toHaveLength(parameters.outputBytes);
    expect(sharedSecret).toHaveLength(P.SHARED_SECRET_BYTES);
    const handle = noblePq.prepare(parameters, seed);
    expect(noblePq.decapsulate(handle, ciphertext)).toEqual(sharedSecret);
    ciphertext[0] = (ciphertext[0] ?? 0) ^ 1;
    expect(noblePq.decapsulate(handle, ciphertext)).not.toEqual(sharedSecret);
  });
});

describe.skipIf(!native)(
  'noble ⇄ node:crypto (skipped: this Node has no ML-DSA/ML-KEM in node:crypto; needs ≥ 24.7)',
  () => {
    it.each(DSA)('$name: same seed, same public key; signatures verify both ways', (parameters) => {
      const seed = seedOf(parameters);
      const publicKey = noblePq.publicKey(parameters, seed);
      expect(nativePq.publicKey(parameters, seed)).toEqual(publicKey);
      const message = new TextEncoder().encode('across');
      const fromNode = nativePq.sign(nativePq.prepare(parameters, seed), message);
      const fromNoble = noblePq.sign(noblePq.prepare(parameters, seed), message);
      expect(noblePq.verify(parameters, publicKey, message, fromNode)).toBe(true);
      expect(nativePq.verify(parameters, publicKey, message, fromNoble)).toBe(true);
    });

    it.each(KEM)('$name: same seed, same public key; encapsulation works both ways', (parameters) => {
      const seed = seedOf(parameters);
      const publicKey = noblePq.publicKey(parameters, seed);
      expect(nativePq.publicKey(parameters, seed)).toEqual(publicKey);
      const toNode = noblePq.encapsulate(parameters, publicKey);
      expect(nativePq.decapsulate(nativePq.prepare(parameters, seed), toNode.ciphertext)).toEqual(toNode.sharedSecret);
      const toNoble = nativePq.encapsulate(parameters, publicKey);
      expect(noblePq.decapsulate(noblePq.prepare(parameters, seed), toNoble.ciphertext)).toEqual(toNoble.sharedSecret);
    });
  },
);
