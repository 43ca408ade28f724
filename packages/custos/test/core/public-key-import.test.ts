// ImportPublicKey's parser (core/public-key-import.ts): every accepted form gives the spec and canonical SPKI DER;
// every bad input (non-DER, explicit curve parameters, a compressed point, RSA too small or with a bad exponent,
// another PEM type, a JWK with private members) fails with its own stable code.
import { createECDH, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { RSAPublicKey } from '@peculiar/asn1-rsa';
import { describe, expect, it } from 'vitest';
import { KmsError, type ErrorCode } from '@custos/contract';
import { importPublicKeyBytes } from '../../src/core/public-key-import.js';

const spkiOf = (key: KeyObject) => new Uint8Array(key.export({ type: 'spki', format: 'der' }));
const text = (s: string) => new TextEncoder().encode(s);

function codeOf(input: Uint8Array): ErrorCode | 'accepted' {
  try {
    importPublicKeyBytes(input);
    return 'accepted';
  } catch (error) {
    if (error instanceof KmsError) return error.code;
    throw error;
  }
}

/** A P-256 public key whose SPKI spells out the curve's parameters (made by `openssl ec -param_enc explicit`). */
const EXPLICIT_P256 = Buffer.from(
  '3082014b3082010306072a8648ce3d02013081f7020101302c06072a8648ce3d0101022100ffffffff00000001000000000000000000000000' +
    'ffffffffffffffffffffffff305b0420ffffffff00000001000000000000000000000000fffffffffffffffffffffffc04205ac635d8aa3a' +
    '93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b031500c49d360886e704936a6678e1139d26b7819f7e900441046b17d1f2' +
    'e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb64068' +
    '37bf51f5022100ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc63255102010103420004d4179611efed5bd60308' +
    '05b432b5229432dec062b39ec09809c5134991713c1aac5516c5d728ca1e71a67728301b814a3aec3771b8fa53e7221cd008a2e237b4',
  'hex',
);

const rsa2048 = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;

/** An RSA SPKI with `rsa2048`'s modulus and another exponent, encoded as DER by asn1-schema. */
function withExponent(exponent: number[]): Uint8Array {
  const info = AsnConvert.parse(spkiOf(rsa2048), SubjectPublicKeyInfo);
  const key = AsnConvert.parse(info.subjectPublicKey, RSAPublicKey);
  key.publicExponent = new Uint8Array(exponent).buffer;
  info.subjectPublicKey = AsnConvert.serialize(key);
  return new Uint8Array(AsnConvert.serialize(info));
}

describe('importPublicKeyBytes', () => {
  it.each([
    ['ECC_NIST_P256', () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey],
    ['ECC_NIST_P384', () => generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey],
    ['ECC_NIST_P521', () => generateKeyPairSync('ec', { namedCurve: 'P-521' }).publicKey],
    ['ECC_SECG_P256K1', () => generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey],
    ['ECC_NIST_EDWARDS25519', () => generateKeyPairSync('ed25519').publicKey],
    ['X25519', () => generateKeyPairSync('x25519').publicKey],
    ['RSA_2048', () => rsa2048],
  ])('accepts a %s key as DER, PEM and JWK, always giving the same canonical DER', (spec, make) => {
    const key = make();
    const der = spkiOf(key);
    const pem = text(String(key.export({ type: 'spki', format: 'pem' })));
    const jwk = text(JSON.stringify(key.export({ format: 'jwk' })));
    for (const input of [der, pem, jwk]) {
      const imported = importPublicKeyBytes(input);
      expect(imported.spec.name).toBe(spec);
      expect(Buffer.from(imported.spki).equals(der)).toBe(true);
    }
  });

  it('refuses a long-form length (BER, not DER) with PUBLIC_KEY_NOT_CANONICAL', () => {
    const der = spkiOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey);
    expect(der[1]).toBeLessThan(0x80);
    const longForm = Buffer.concat([Buffer.from([0x30, 0x81, der[1] ?? 0]), der.subarray(2)]);
    expect(codeOf(longForm)).toBe('PUBLIC_KEY_NOT_CANONICAL');
    expect(codeOf(Buffer.concat([der, Buffer.from([0])]))).not.toBe('accepted');
  });

  it('refuses explicit curve parameters with PUBLIC_KEY_EXPLICIT_CURVE (CRYPTO-PITFALLS 4), though OpenSSL reads them', () => {
    expect(createPublicKey({ key: EXPLICIT_P256, format: 'der', type: 'spki' }).asymmetricKeyType).toBe('ec');
    expect(codeOf(EXPLICIT_P256)).toBe('PUBLIC_KEY_EXPLICIT_CURVE');
  });

  it('refuses a compressed EC point with PUBLIC_KEY_NOT_CANONICAL', () => {
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const info = AsnConvert.parse(
      spkiOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey),
      SubjectPublicKeyInfo,
    );
    info.subjectPublicKey = new Uint8Array(ecdh.getPublicKey(undefined, 'compressed')).buffer;
    expect(codeOf(new Uint8Array(AsnConvert.serialize(info)))).toBe('PUBLIC_KEY_NOT_CANONICAL');
  });

  it('refuses RSA-1024 (and other sizes than 2048/3072/4096) with PUBLIC_KEY_RSA_SIZE', () => {
    expect(codeOf(spkiOf(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey))).toBe('PUBLIC_KEY_RSA_SIZE');
    expect(codeOf(spkiOf(generateKeyPairSync('rsa', { modulusLength: 2560 }).publicKey))).toBe('PUBLIC_KEY_RSA_SIZE');
  });

  it('refuses e = 1, an even e, e = 3 and e >= 2^256 with PUBLIC_KEY_RSA_EXPONENT; e = 65537 passes', () => {
    expect(codeOf(withExponent([1]))).toBe('PUBLIC_KEY_RSA_EXPONENT');
    expect(codeOf(withExponent([1, 0, 0]))).toBe('PUBLIC_KEY_RSA_EXPONENT');
    expect(codeOf(withExponent([3]))).toBe('PUBLIC_KEY_RSA_EXPONENT');
    expect(codeOf(withExponent([1, ...new Array<number>(32).fill(0), 1]))).toBe('PUBLIC_KEY_RSA_EXPONENT');
    expect(codeOf(withExponent([1, 0, 1]))).toBe('accepted');
  });

  it('refuses a PEM block of another type with PUBLIC_KEY_PEM_TYPE', () => {
    const pkcs1 = String(rsa2048.export({ type: 'pkcs1', format: 'pem' }));
    expect(pkcs1).toContain('RSA PUBLIC KEY');
    expect(codeOf(text(pkcs1))).toBe('PUBLIC_KEY_PEM_TYPE');
    const privatePem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    expect(codeOf(text(String(privatePem)))).toBe('PUBLIC_KEY_PEM_TYPE');
  });

  it('refuses a JWK with private members with PUBLIC_KEY_PRIVATE_JWK', () => {
    const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
    expect(jwk.d).toBeDefined();
    expect(codeOf(text(JSON.stringify(jwk)))).toBe('PUBLIC_KEY_PRIVATE_JWK');
  });

  it('refuses garbage, a bad JWK and an unsupported curve with INVALID_PUBLIC_KEY', () => {
    expect(codeOf(new Uint8Array([1, 2, 3]))).toBe('INVALID_PUBLIC_KEY');
    expect(codeOf(text('{"kty":"EC","crv":"P-256"'))).toBe('INVALID_PUBLIC_KEY');
    expect(codeOf(text('{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}'))).toBe('INVALID_PUBLIC_KEY');
    expect(codeOf(spkiOf(generateKeyPairSync('ec', { namedCurve: 'brainpoolP256r1' }).publicKey))).toBe(
      'INVALID_PUBLIC_KEY',
    );
    expect(codeOf(spkiOf(generateKeyPairSync('ed448').publicKey))).toBe('INVALID_PUBLIC_KEY');
  });
});
