// JWK export (core/jwk.ts): the members node writes, plus kid, key_ops and the alg the family names.
import { describe, expect, it } from 'vitest';
import { KmsError } from '@custos/contract';
import { privateJwk, publicJwk } from '../../src/core/jwk.js';
import { parsePublicKey } from '../../src/core/key-material.js';
import { keySpec } from '../../src/core/key-specs.js';
import { exposeSecret, SecretBytes } from '../../src/core/secret-bytes.js';
import { fixtureKey } from './key-fixtures.js';

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof KmsError ? error.code : 'not a KmsError';
  }
};

describe('JWK and PEM export', () => {
  const meta = { kid: 'key-1', algorithms: ['ECDSA_SHA_256'], keyOps: ['verify'] } as const;

  it('publicJwk: kty/crv/x/y plus kid, alg and key_ops, and no private field', async () => {
    const spec = keySpec('ECC_NIST_P256');
    const jwk = publicJwk(spec, (await fixtureKey(spec)).publicKey ?? new Uint8Array(), meta);
    expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256', kid: 'key-1', alg: 'ES256', key_ops: ['verify'] });
    expect(typeof jwk.x).toBe('string');
    expect(jwk).not.toHaveProperty('d');
  });

  it('publicJwk for Ed25519, X25519 and RSA: OKP with crv, RSA with n and e; no alg when the key allows no algorithm', async () => {
    const ed = publicJwk(
      keySpec('ECC_NIST_EDWARDS25519'),
      (await fixtureKey(keySpec('ECC_NIST_EDWARDS25519'))).publicKey ?? new Uint8Array(),
      { kid: 'e', algorithms: [], keyOps: ['verify'] },
    );
    expect(ed).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid: 'e', key_ops: ['verify'] });
    expect(ed).not.toHaveProperty('alg');
    const x = publicJwk(keySpec('X25519'), (await fixtureKey(keySpec('X25519'))).publicKey ?? new Uint8Array(), {
      kid: 'x',
      algorithms: [],
      keyOps: ['deriveBits'],
    });
    expect(x).toMatchObject({ kty: 'OKP', crv: 'X25519' });
    const rsa = publicJwk(keySpec('RSA_2048'), (await fixtureKey(keySpec('RSA_2048'))).publicKey ?? new Uint8Array(), {
      kid: 'r',
      algorithms: ['RSASSA_PSS_SHA_256'],
      keyOps: ['verify'],
    });
    expect(rsa).toMatchObject({ kty: 'RSA', e: 'AQAB', alg: 'PS256' });
    expect(rsa).not.toHaveProperty('d');
  });

  it('a public JWK parses back to the same key', async () => {
    const spec = keySpec('ECC_SECG_P256K1');
    const spki = (await fixtureKey(spec)).publicKey ?? new Uint8Array();
    expect(
      Buffer.from(parsePublicKey(spec, publicJwk(spec, spki, { kid: 'k', algorithms: [], keyOps: ['verify'] }))),
    ).toEqual(Buffer.from(spki));
  });

  it("privateJwk: the asymmetric JWK has 'd'; AES and HMAC are kty 'oct' with the base64url key in 'k'", async () => {
    const ec = privateJwk(keySpec('ECC_NIST_P256'), (await fixtureKey(keySpec('ECC_NIST_P256'))).material, meta);
    expect(ec).toMatchObject({ kty: 'EC', crv: 'P-256', kid: 'key-1', alg: 'ES256', key_ops: ['verify'] });
    expect(typeof ec.d).toBe('string');
    const secret = SecretBytes.random(32);
    const oct = privateJwk(keySpec('AES_256'), secret, {
      kid: 'a',
      algorithms: ['SYMMETRIC_DEFAULT'],
      keyOps: ['encrypt', 'decrypt'],
    });
    expect(oct).toMatchObject({ kty: 'oct', kid: 'a', alg: 'A256GCM', key_ops: ['encrypt', 'decrypt'] });
    expect(Buffer.from(String(oct.k), 'base64url')).toEqual(Buffer.from(exposeSecret(secret)));
  });

  it('AES and HMAC have no public JWK: UNSUPPORTED', () => {
    expect(codeOf(() => publicJwk(keySpec('AES_256'), new Uint8Array(32), meta))).toBe('UNSUPPORTED');
  });
});
