// The shared RootOfTrust suite: every provider (file, sealed, PKCS#11) runs it through describeRootOfTrust.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exposeSecret, SecretBytes } from '../../src/core/secret-bytes.js';
import type { RootOfTrust } from '../../src/keystore/root-of-trust.js';

const aad = new TextEncoder().encode('key 6f1c2a3e version 1');

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code ?? 'NO_CODE';
  }
}

export function describeRootOfTrust(
  name: string,
  make: () => Promise<{ rot: RootOfTrust; cleanup: () => Promise<void> }>,
): void {
  describe(`RootOfTrust: ${name}`, () => {
    let rot: RootOfTrust;
    let cleanup: () => Promise<void>;

    beforeAll(async () => {
      ({ rot, cleanup } = await make());
    });
    afterAll(async () => {
      await rot.close();
      await cleanup();
    });

    it('unwraps what it wraps', async () => {
      for (const length of [1, 16, 32, 64, 1200]) {
        const material = SecretBytes.random(length);
        const unwrapped = await rot.unwrap(await rot.wrap(material, aad), aad);
        expect(unwrapped.equals(material)).toBe(true);
      }
    });

    it('gives a different wrap output each time for the same material', async () => {
      const material = SecretBytes.random(32);
      const a = Buffer.from(await rot.wrap(material, aad));
      const b = Buffer.from(await rot.wrap(material, aad));
      expect(a.equals(b)).toBe(false);
    });

    it('never puts the material in the wrap output', async () => {
      const material = SecretBytes.random(32);
      const wrapped = Buffer.from(await rot.wrap(material, aad));
      expect(wrapped.includes(Buffer.from(exposeSecret(material)))).toBe(false);
    });

    it('fails with INTERNAL when unwrapping with another aad', async () => {
      const wrapped = await rot.wrap(SecretBytes.random(32), aad);
      expect(await codeOf(rot.unwrap(wrapped, new TextEncoder().encode('key 6f1c2a3e version 2')))).toBe('INTERNAL');
      expect(await codeOf(rot.unwrap(wrapped, new Uint8Array(0)))).toBe('INTERNAL');
    });

    it('fails with INTERNAL for a tampered, truncated or empty blob, without the material in the message', async () => {
      const material = SecretBytes.random(32);
      const wrapped = await rot.wrap(material, aad);
      const secretHex = Buffer.from(exposeSecret(material)).toString('hex');
      for (let i = 0; i < wrapped.length; i++) {
        const tampered = new Uint8Array(wrapped);
        tampered[i]! ^= 0x80;
        try {
          await rot.unwrap(tampered, aad);
          expect.fail(`byte ${i} flipped but unwrap succeeded`);
        } catch (err) {
          expect((err as { code?: string }).code).toBe('INTERNAL');
          expect((err as Error).message).not.toContain(secretHex);
        }
      }
      expect(await codeOf(rot.unwrap(wrapped.subarray(0, wrapped.length - 1), aad))).toBe('INTERNAL');
      expect(await codeOf(rot.unwrap(new Uint8Array(0), aad))).toBe('INTERNAL');
    });

    it('has a stable, non-secret-looking key check value', async () => {
      expect(rot.keyCheckValue).toMatch(/^[0-9a-f]{32}$/);
      expect(rot.keyCheckValue).toBe(rot.keyCheckValue);
      const material = SecretBytes.random(32);
      const wrapped = Buffer.from(await rot.wrap(material, aad)).toString('hex');
      expect(wrapped).not.toContain(rot.keyCheckValue);
      expect(Buffer.from(exposeSecret(material)).toString('hex')).not.toContain(rot.keyCheckValue);
    });
  });
}
