import { createPrivateKey, createPublicKey } from 'node:crypto';
import { importJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { ALGORITHMS, type Algorithm } from '@custos/contract';
import type { KeyPairFamily } from '../../../src/core/families/key-family.js';
import { jwkAlg, privateJwk, publicJwk } from '../../../src/core/jwk.js';
import { KEY_SPEC_ENTRIES, algorithmsFor, keySpec, type KeySpecEntry } from '../../../src/core/key-specs.js';
import { exposeSecret } from '../../../src/core/secret-bytes.js';
import { fixtureKey } from '../key-fixtures.js';

const KEY_PAIRS = KEY_SPEC_ENTRIES.filter((spec) => spec.family.material === 'pkcs8');
const pairFamily = (spec: KeySpecEntry): KeyPairFamily => {
  if (spec.family.material !== 'pkcs8') throw new Error(`${spec.name} is not a key pair`);
  return spec.family;
};

/** DER of an OBJECT IDENTIFIER (X.690 §8.19), to find the descriptor's OID inside an SPKI. */
function oidDer(oid: string): Buffer {
  const [first = 0, second = 0, ...rest] = oid.split('.').map(Number);
  const body = [first * 40 + second, ...rest].flatMap((arc) => {
    const bytes = [arc & 0x7f];
    for (let n = arc >>> 7; n > 0; n >>>= 7) bytes.unshift((n & 0x7f) | 0x80);
    return bytes;
  });
  return Buffer.from([0x06, body.length, ...body]);
}

/** The curve each ECDSA JOSE alg requires (RFC 7518 §3.4, RFC 8812 §3.2): the pairs jose enforces on use. */
const ES_CURVE: Record<string, string> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521', ES256K: 'secp256k1' };

describe('key family descriptors', () => {
  it('every spec points at a descriptor that serves each of its algorithms', () => {
    for (const spec of KEY_SPEC_ENTRIES) {
      const algorithms = spec.usages.flatMap((usage) => algorithmsFor(spec, usage));
      expect(algorithms.length, spec.name).toBeGreaterThan(0);
      for (const algorithm of algorithms) expect(spec.family.serves, spec.name).toContain(algorithm);
      for (const algorithm of spec.family.serves) expect(ALGORITHMS).toContain(algorithm);
    }
  });

  it.each(KEY_PAIRS.map((spec) => spec.name))(
    '%s: node type, curve, OID, kty, crv and field size are those of a generated key',
    async (name) => {
      const spec = keySpec(name);
      const family = pairFamily(spec);
      const { material, publicKey } = await fixtureKey(spec);
      const key = createPrivateKey({ key: Buffer.from(exposeSecret(material)), format: 'der', type: 'pkcs8' });
      expect(key.asymmetricKeyType).toBe(family.node.keyType);
      expect(key.asymmetricKeyDetails?.namedCurve).toBe(family.node.namedCurve);
      expect(Buffer.from(publicKey ?? []).includes(oidDer(family.oid)), 'the SPKI names the OID').toBe(true);
      const jwk = createPublicKey(key).export({ format: 'jwk' });
      expect(jwk.kty).toBe(family.kty);
      expect(jwk.crv).toBe(family.crv);
      if (family.fieldBytes !== undefined)
        expect(Buffer.from(String(jwk.x), 'base64url').length).toBe(family.fieldBytes);
    },
  );

  it('ECDSA curves carry their noble curve, and only secp256k1 signs low-S', () => {
    for (const spec of KEY_PAIRS.filter((s) => s.family.name === 'ec')) {
      const { ecdsa, fieldBytes } = pairFamily(spec);
      expect(ecdsa?.noble.Point.Fp.BYTES, spec.name).toBe(fieldBytes);
      expect(ecdsa?.lowS, spec.name).toBe(spec.name === 'ECC_SECG_P256K1');
    }
  });
});

describe('JOSE names come from the family', () => {
  it('every signing and agreement algorithm of a key pair has a JOSE alg, ECDSA on its own curve', () => {
    for (const spec of KEY_PAIRS) {
      for (const algorithm of [...spec.signing, ...spec.agreement]) {
        const alg = spec.family.joseAlg(spec, algorithm);
        expect(alg, `${spec.name} ${algorithm}`).toBeDefined();
        if (algorithm.startsWith('ECDSA')) expect(ES_CURVE[alg ?? ''], spec.name).toBe(pairFamily(spec).crv);
      }
    }
  });

  it('a secp256k1 key names ES256K (RFC 8812), never ES256', () => {
    expect(jwkAlg(keySpec('ECC_SECG_P256K1'), ['ECDSA_SHA_256'])).toBe('ES256K');
    expect(jwkAlg(keySpec('ECC_NIST_P256'), ['ECDSA_SHA_256'])).toBe('ES256');
  });

  it.each<[string, readonly Algorithm[], string | undefined]>([
    ['RSA_2048', ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'], 'RSA-OAEP-256'],
    ['RSA_4096', ['RSAES_OAEP_SHA_1'], 'RSA-OAEP'],
    ['RSA_2048', keySpec('RSA_2048').signing, undefined],
    ['RSA_3072', ['RSASSA_PKCS1_V1_5_SHA_384'], 'RS384'],
    ['ECC_NIST_P384', ['ECDH'], 'ECDH-ES'],
    ['X25519', ['ECDH'], 'ECDH-ES'],
    ['ECC_NIST_EDWARDS25519', ['ED25519_SHA_512'], 'EdDSA'],
    ['AES_128', ['SYMMETRIC_DEFAULT'], 'A128GCM'],
    ['SYMMETRIC_DEFAULT', ['SYMMETRIC_DEFAULT'], 'A256GCM'],
    ['AES_256', ['HKDF_SHA_256', 'PBKDF2_SHA_512'], undefined],
    ['HMAC_224', ['HMAC_SHA_224'], undefined],
    ['HMAC_384', ['HMAC_SHA_384'], 'HS384'],
  ])('%s allowed %j: the JWK names %s', (name, algorithms, alg) => {
    expect(jwkAlg(keySpec(name), algorithms)).toBe(alg);
  });

  it.each(KEY_PAIRS.map((spec) => spec.name))('%s: jose imports the public and private JWK', async (name) => {
    const spec = keySpec(name);
    const { material, publicKey } = await fixtureKey(spec);
    for (const usage of spec.usages) {
      const meta = { kid: 'k', algorithms: algorithmsFor(spec, usage), keyOps: [] };
      // A JWK without alg (an RSA signing key allowing six) is imported for one of them, as a verifier would.
      const alg = jwkAlg(spec, meta.algorithms) ?? jwkAlg(spec, meta.algorithms.slice(0, 1));
      const pub = publicJwk(spec, publicKey ?? new Uint8Array(), meta);
      const priv = privateJwk(spec, material, meta);
      expect(pub.alg).toBe(priv.alg);
      await expect(importJWK({ ...pub }, alg)).resolves.toBeDefined();
      await expect(importJWK({ ...priv }, alg)).resolves.toBeDefined();
    }
  });
});
