import { createHash, createPublicKey, verify as nodeVerify, constants } from 'node:crypto';
import fc from 'fast-check';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { KmsError } from '@custos/contract';
import { sign, verify } from '../../../src/core/algorithms/signature.js';
import {
  DIGEST_BYTES,
  HASH_OF,
  isHashedSigning,
  type HashedSigningAlgorithm,
  type HashName,
} from '../../../src/core/algorithms/digests.js';
import { KEY_SPEC_TABLE, keySpec, type KeySpecEntry } from '../../../src/core/key-specs.js';
import type { GeneratedKey } from '../../../src/core/key-material.js';
import { fixtureKey } from '../key-fixtures.js';

const SIGNING_SPECS: KeySpecEntry[] = Object.values(KEY_SPEC_TABLE).filter((spec) => spec.signing.length > 0);
const keys = new Map<string, GeneratedKey>();
beforeAll(async () => {
  for (const spec of SIGNING_SPECS) keys.set(spec.name, await fixtureKey(spec));
});
const keyOf = (spec: KeySpecEntry) => keys.get(spec.name) as GeneratedKey & { publicKey: Uint8Array };

describe('DIGEST_BYTES', () => {
  it.each(Object.keys(DIGEST_BYTES) as HashName[])('%s: the length node:crypto produces', (hash) => {
    expect(createHash(hash).update('x').digest()).toHaveLength(DIGEST_BYTES[hash]);
  });
});

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof KmsError ? error.code : 'not a KmsError';
  }
};

/** node:crypto's own verification of a RAW message, to prove Custos's signatures are standard ones. */
function nodeVerifies(
  spec: KeySpecEntry,
  algorithm: HashedSigningAlgorithm,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  const key = createPublicKey({ key: Buffer.from(keyOf(spec).publicKey), format: 'der', type: 'spki' });
  if (algorithm === 'ED25519_SHA_512') return nodeVerify(null, message, key, signature);
  const hash = HASH_OF[algorithm];
  const padding = algorithm.startsWith('RSASSA_PSS')
    ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: createHash(hash).digest().length }
    : {};
  return nodeVerify(hash, message, { key, dsaEncoding: 'der', ...padding }, signature);
}

// ML-DSA (no FIPS 180-4 digest, no DIGEST form) has its own tests: test/core/pq/.
const CASES = SIGNING_SPECS.flatMap((spec) =>
  spec.signing.filter(isHashedSigning).map((algorithm) => [spec.name, algorithm] as const),
);
const message = new TextEncoder().encode('Custos signs this message');

describe('sign/verify round trips for every signing spec and algorithm', () => {
  it.each(CASES)(
    '%s %s: a RAW signature verifies through RAW and DIGEST, and with node:crypto',
    (specName, algorithm) => {
      const spec = keySpec(specName);
      const signature = sign(spec, algorithm, keyOf(spec).material, message, 'RAW');
      expect(verify(spec, algorithm, keyOf(spec).publicKey, message, 'RAW', signature)).toBe(true);
      expect(nodeVerifies(spec, algorithm, message, signature)).toBe(true);
      if (algorithm !== 'ED25519_SHA_512') {
        const digest = createHash(HASH_OF[algorithm]).update(message).digest();
        expect(verify(spec, algorithm, keyOf(spec).publicKey, digest, 'DIGEST', signature)).toBe(true);
      }
    },
  );

  it.each(CASES.filter(([, algorithm]) => algorithm !== 'ED25519_SHA_512'))(
    '%s %s: a DIGEST signature verifies through DIGEST and RAW, and with node:crypto over the original message',
    (specName, algorithm) => {
      const spec = keySpec(specName);
      const digest = createHash(HASH_OF[algorithm]).update(message).digest();
      const signature = sign(spec, algorithm, keyOf(spec).material, digest, 'DIGEST');
      expect(verify(spec, algorithm, keyOf(spec).publicKey, digest, 'DIGEST', signature)).toBe(true);
      expect(verify(spec, algorithm, keyOf(spec).publicKey, message, 'RAW', signature)).toBe(true);
      expect(nodeVerifies(spec, algorithm, message, signature)).toBe(true);
    },
  );

  it('a signature does not verify under another algorithm of the same key', () => {
    const spec = keySpec('RSA_2048');
    const signature = sign(spec, 'RSASSA_PSS_SHA_256', keyOf(spec).material, message, 'RAW');
    expect(verify(spec, 'RSASSA_PKCS1_V1_5_SHA_256', keyOf(spec).publicKey, message, 'RAW', signature)).toBe(false);
    expect(verify(spec, 'RSASSA_PSS_SHA_384', keyOf(spec).publicKey, message, 'RAW', signature)).toBe(false);
  });
});

describe('secp256k1 low-S policy', () => {
  it('ECC_SECG_P256K1 signatures are always low-S, RAW and DIGEST (BIP-62/146)', () => {
    const spec = keySpec('ECC_SECG_P256K1');
    const digest = createHash('sha256').update(message).digest();
    for (let i = 0; i < 40; i++) {
      for (const [input, type] of [
        [message, 'RAW'],
        [digest, 'DIGEST'],
      ] as const) {
        const signature = sign(spec, 'ECDSA_SHA_256', keyOf(spec).material, input, type);
        expect(secp256k1.Signature.fromBytes(signature, 'der').hasHighS()).toBe(false);
      }
    }
  });

  it('verify accepts the high-S twin (r, n - s) of a valid signature, as AWS KMS and OpenSSL do', () => {
    const spec = keySpec('ECC_SECG_P256K1');
    const low = secp256k1.Signature.fromBytes(sign(spec, 'ECDSA_SHA_256', keyOf(spec).material, message, 'RAW'), 'der');
    const high = new secp256k1.Signature(low.r, secp256k1.Point.Fn.ORDER - low.s).toBytes('der');
    expect(verify(spec, 'ECDSA_SHA_256', keyOf(spec).publicKey, message, 'RAW', high)).toBe(true);
  });
});

describe('signatures and messages that were tampered with', () => {
  const PROPERTY_SPECS = ['RSA_2048', 'ECC_NIST_P256', 'ECC_SECG_P256K1', 'ECC_NIST_EDWARDS25519'] as const;
  const flip = (bytes: Uint8Array, bit: number) => {
    const copy = new Uint8Array(bytes);
    copy[Math.floor(bit / 8) % copy.length]! ^= 1 << (bit % 8);
    return copy;
  };

  it.each(PROPERTY_SPECS)(
    '%s: flipping any bit of the signature or of the message makes verify return false',
    (specName) => {
      const spec = keySpec(specName);
      const algorithm = spec.signing[0]!;
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.nat(), fc.boolean(), (msg, bit, inSignature) => {
          const signature = sign(spec, algorithm, keyOf(spec).material, msg, 'RAW');
          const tampered = inSignature
            ? verify(spec, algorithm, keyOf(spec).publicKey, msg, 'RAW', flip(signature, bit % (signature.length * 8)))
            : verify(spec, algorithm, keyOf(spec).publicKey, flip(msg, bit % (msg.length * 8)), 'RAW', signature);
          expect(tampered).toBe(false);
        }),
        { numRuns: 40 },
      );
    },
  );

  it.each(PROPERTY_SPECS)('%s: verify returns false, never throws, for arbitrary bytes as a signature', (specName) => {
    const spec = keySpec(specName);
    const algorithm = spec.signing[0]!;
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (garbage) => {
        expect(verify(spec, algorithm, keyOf(spec).publicKey, message, 'RAW', garbage)).toBe(false);
      }),
      { numRuns: 60 },
    );
  });

  it('a truncated or empty signature is rejected for every family, RAW and DIGEST', () => {
    for (const [specName, algorithm] of CASES) {
      const spec = keySpec(specName);
      const signature = sign(spec, algorithm, keyOf(spec).material, message, 'RAW');
      expect(
        verify(spec, algorithm, keyOf(spec).publicKey, message, 'RAW', signature.subarray(0, signature.length - 1)),
      ).toBe(false);
      expect(verify(spec, algorithm, keyOf(spec).publicKey, message, 'RAW', new Uint8Array(0))).toBe(false);
      if (algorithm !== 'ED25519_SHA_512') {
        const digest = createHash(HASH_OF[algorithm]).update(message).digest();
        expect(verify(spec, algorithm, keyOf(spec).publicKey, digest, 'DIGEST', signature.subarray(1))).toBe(false);
      }
    }
  });
});

describe('input validation', () => {
  it.each(CASES.filter(([, algorithm]) => algorithm !== 'ED25519_SHA_512'))(
    '%s %s: a DIGEST message of the wrong length fails with VALIDATION_ERROR on sign and verify',
    (specName, algorithm) => {
      const spec = keySpec(specName);
      const length = createHash(HASH_OF[algorithm]).digest().length;
      for (const wrong of [0, length - 1, length + 1]) {
        expect(codeOf(() => sign(spec, algorithm, keyOf(spec).material, new Uint8Array(wrong), 'DIGEST'))).toBe(
          'VALIDATION_ERROR',
        );
        expect(
          codeOf(() =>
            verify(spec, algorithm, keyOf(spec).publicKey, new Uint8Array(wrong), 'DIGEST', new Uint8Array(64)),
          ),
        ).toBe('VALIDATION_ERROR');
      }
    },
  );

  it('ED25519_SHA_512 with message type DIGEST fails with VALIDATION_ERROR', () => {
    const spec = keySpec('ECC_NIST_EDWARDS25519');
    expect(codeOf(() => sign(spec, 'ED25519_SHA_512', keyOf(spec).material, new Uint8Array(64), 'DIGEST'))).toBe(
      'VALIDATION_ERROR',
    );
    expect(
      codeOf(() =>
        verify(spec, 'ED25519_SHA_512', keyOf(spec).publicKey, new Uint8Array(64), 'DIGEST', new Uint8Array(64)),
      ),
    ).toBe('VALIDATION_ERROR');
  });

  it('an algorithm the spec does not have fails with VALIDATION_ERROR', () => {
    const spec = keySpec('ECC_NIST_P256');
    expect(codeOf(() => sign(spec, 'ECDSA_SHA_384', keyOf(spec).material, message, 'RAW'))).toBe('VALIDATION_ERROR');
    expect(codeOf(() => sign(spec, 'RSASSA_PSS_SHA_256', keyOf(spec).material, message, 'RAW'))).toBe(
      'VALIDATION_ERROR',
    );
  });

  it('a public key of another spec fails with INVALID_PUBLIC_KEY', () => {
    const p256 = keySpec('ECC_NIST_P256');
    const p384 = keySpec('ECC_NIST_P384');
    expect(codeOf(() => verify(p256, 'ECDSA_SHA_256', keyOf(p384).publicKey, message, 'RAW', new Uint8Array(70)))).toBe(
      'INVALID_PUBLIC_KEY',
    );
  });
});
