import { describe, expect, it } from 'vitest';
import { KmsError } from '@custos/contract';
import { ecdh } from '../../../src/core/algorithms/ecdh.js';
import { keySpec } from '../../../src/core/key-specs.js';
import { generateKeyMaterial } from '../../../src/core/key-material.js';
import { x25519Spki } from '../vectors/key-conversion.js';

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof KmsError ? error.code : 'not a KmsError';
  }
};

describe('ecdh', () => {
  it.each(['ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'X25519'])(
    '%s: both parties derive the same non-zero secret',
    async (name) => {
      const spec = keySpec(name);
      const alice = await generateKeyMaterial(spec);
      const bob = await generateKeyMaterial(spec);
      const ab = ecdh(spec, alice.material, bob.publicKey ?? new Uint8Array());
      const ba = ecdh(spec, bob.material, alice.publicKey ?? new Uint8Array());
      expect(ab.equals(ba)).toBe(true);
      expect(ab.length).toBe({ ECC_NIST_P256: 32, ECC_NIST_P384: 48, ECC_NIST_P521: 66, X25519: 32 }[name]);
    },
  );

  it('a peer key on another curve fails with INVALID_PUBLIC_KEY', async () => {
    const p256 = await generateKeyMaterial(keySpec('ECC_NIST_P256'));
    const p384 = await generateKeyMaterial(keySpec('ECC_NIST_P384'));
    expect(codeOf(() => ecdh(keySpec('ECC_NIST_P256'), p256.material, p384.publicKey ?? new Uint8Array()))).toBe(
      'INVALID_PUBLIC_KEY',
    );
  });

  it('an X25519 peer of low order (all-zero shared secret, RFC 7748 §6.1) fails with INVALID_PUBLIC_KEY', async () => {
    const spec = keySpec('X25519');
    const own = await generateKeyMaterial(spec);
    for (const lowOrder of [new Uint8Array(32), Uint8Array.of(1, ...new Uint8Array(31))]) {
      expect(codeOf(() => ecdh(spec, own.material, x25519Spki(lowOrder)))).toBe('INVALID_PUBLIC_KEY');
    }
  });

  it('a spec without ECDH fails with INVALID_KEY_USAGE', async () => {
    const spec = keySpec('ECC_SECG_P256K1');
    const key = await generateKeyMaterial(spec);
    expect(codeOf(() => ecdh(spec, key.material, key.publicKey ?? new Uint8Array()))).toBe('INVALID_KEY_USAGE');
  });
});
