// Development mode's derived keys: the same seed, key id and version give the same material for every family; another
// seed, key or version gives other material; what comes out is a valid key of its spec; key ids are UUID v4.
import { createHash, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveKeyMaterial, devKeyId } from '../../../src/core/dev/derived-material.js';
import { publicKeyOf } from '../../../src/core/key-material.js';
import { keySpec } from '../../../src/core/key-specs.js';
import { exposeSecret } from '../../../src/core/secret-bytes.js';

const seed = new TextEncoder().encode('seed-a');
const other = new TextEncoder().encode('seed-b');
const ID = '3e0f2d5b-9c4a-4f6e-8d1b-4a5f6e7d8c93';
const hex = async (spec: string, s = seed, id = ID, version = 1) =>
  Buffer.from(exposeSecret((await deriveKeyMaterial(keySpec(spec), s, id, version)).material)).toString('hex');

describe('derived development keys', { timeout: 60_000 }, () => {
  const fast = ['AES_128', 'SYMMETRIC_DEFAULT', 'HMAC_512', 'ECC_NIST_P256', 'ECC_NIST_P521', 'ECC_SECG_P256K1'];
  for (const spec of [...fast, 'ECC_NIST_EDWARDS25519', 'X25519'])
    it(`${spec}: one seed, key and version give one material; another seed, key or version another`, async () => {
      const a = await hex(spec);
      expect(await hex(spec)).toBe(a);
      expect(await hex(spec, other)).not.toBe(a);
      expect(await hex(spec, seed, '4f1a3e6c-0d5b-4a7f-9e2c-5b6a7f8e9da4')).not.toBe(a);
      expect(await hex(spec, seed, ID, 2)).not.toBe(a);
    });

  it('raw keys have their spec length; key pairs are valid keys whose public key matches', async () => {
    expect(Buffer.from(await hex('AES_128'), 'hex')).toHaveLength(16);
    expect(Buffer.from(await hex('HMAC_512'), 'hex')).toHaveLength(64);
    for (const name of ['ECC_NIST_P384', 'ECC_NIST_EDWARDS25519']) {
      const spec = keySpec(name);
      const generated = await deriveKeyMaterial(spec, seed, ID, 1);
      const der = Buffer.from(exposeSecret(generated.material));
      const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
      const digest = name === 'ECC_NIST_EDWARDS25519' ? null : 'sha256';
      const signature = sign(digest, Buffer.from('probe'), privateKey);
      const publicKey = createPublicKey({ key: Buffer.from(generated.publicKey!), format: 'der', type: 'spki' });
      expect(verify(digest, Buffer.from('probe'), publicKey, signature)).toBe(true);
      expect(Buffer.from(publicKeyOf(spec, generated.material))).toEqual(Buffer.from(generated.publicKey!));
    }
  });

  it('RSA_2048 is derived too (node-forge with an HKDF-driven PRNG): the same key as every run before', async () => {
    const a = await deriveKeyMaterial(keySpec('RSA_2048'), seed, ID, 7);
    // Pinned: one generation (RSA is slow in JavaScript) proves the key is the same as when this test was written.
    expect(createHash('sha256').update(a.publicKey!).digest('hex')).toBe(
      '4fa80733d7b3c3f4269efa407b163e24090183e1c182b116bf7d0703526e9ac4',
    );
    const key = createPublicKey({ key: Buffer.from(a.publicKey!), format: 'der', type: 'spki' });
    expect(key.asymmetricKeyDetails).toMatchObject({ modulusLength: 2048, publicExponent: 65537n });
    const privateKey = createPrivateKey({ key: Buffer.from(exposeSecret(a.material)), format: 'der', type: 'pkcs8' });
    expect(verify('sha256', Buffer.from('probe'), key, sign('sha256', Buffer.from('probe'), privateKey))).toBe(true);
  });

  it('key ids are version 4 UUIDs, the same for one seed and index, different across indexes and seeds', () => {
    const ids = [0, 1, 2].map((n) => devKeyId(seed, n));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(3);
    expect(devKeyId(seed, 1)).toBe(ids[1]);
    expect(devKeyId(other, 1)).not.toBe(ids[1]);
  });
});
