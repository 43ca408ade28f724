import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DATA_KEY_PAIR_SPECS, DERIVED_KEY_SPECS, InternalError, KmsError, WRAPPING_KEY_SPECS } from '@custos/contract';
import { PreparedPrivateKey, privateKeyObject, rsaPrivateKeyObject } from '../../src/core/key-objects.js';
import { KEY_SPEC_ENTRIES, KEY_SPEC_TABLE, isSymmetric, keySpec } from '../../src/core/key-specs.js';
import {
  generateKeyMaterial,
  parsePublicKey,
  privateJwk,
  privatePem,
  publicKeyOf,
  validateImportedMaterial,
} from '../../src/core/key-material.js';
import { exposeSecret, SecretBytes } from '../../src/core/secret-bytes.js';
import { fixtureKey } from './key-fixtures.js';
import { hex, loadWycheproof } from './vectors/wycheproof.js';

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof KmsError ? error.code : 'not a KmsError';
  }
};
// Post-quantum specs (no node:crypto on Node 20) have their own tests: test/core/pq/, test/contract/pq-*.
const NON_RSA = KEY_SPEC_ENTRIES.filter((spec) => spec.family.name !== 'rsa' && spec.family.material !== 'seed');
const ASYMMETRIC_NON_RSA = NON_RSA.filter((spec) => spec.family.name === 'ec' || spec.family.name === 'okp');
const pkcs8Of = (material: SecretBytes) =>
  createPrivateKey({ key: Buffer.from(exposeSecret(material)), format: 'der', type: 'pkcs8' });

describe('generateKeyMaterial', () => {
  it.each(NON_RSA.map((spec) => spec.name))(
    '%s: produces material of the spec, and the public key of that material',
    async (name) => {
      const spec = keySpec(name);
      const { material, publicKey } = await generateKeyMaterial(spec);
      if (spec.family.name === 'aes' || spec.family.name === 'hmac') {
        expect(material.length).toBe(spec.keyBytes);
        expect(publicKey).toBeUndefined();
        return;
      }
      const key = pkcs8Of(material);
      expect(key.asymmetricKeyType).toBe(
        spec.name === 'ECC_NIST_EDWARDS25519' ? 'ed25519' : spec.name === 'X25519' ? 'x25519' : 'ec',
      );
      expect(Buffer.from(publicKeyOf(spec, material))).toEqual(Buffer.from(publicKey ?? []));
      expect(Buffer.from(parsePublicKey(spec, publicKey ?? new Uint8Array()))).toEqual(Buffer.from(publicKey ?? []));
    },
  );

  it('two generated symmetric keys differ', async () => {
    const spec = keySpec('AES_256');
    expect((await generateKeyMaterial(spec)).material.equals((await generateKeyMaterial(spec)).material)).toBe(false);
  });

  it('RSA_2048: a 2048-bit modulus with e = 65537, PKCS#8 material and SPKI public key', async () => {
    const spec = keySpec('RSA_2048');
    const { material, publicKey } = await generateKeyMaterial(spec);
    const details = pkcs8Of(material).asymmetricKeyDetails;
    expect(details?.modulusLength).toBe(2048);
    expect(details?.publicExponent).toBe(65537n);
    expect(Buffer.from(parsePublicKey(spec, publicKey ?? new Uint8Array()))).toEqual(Buffer.from(publicKey ?? []));
  });

  it('the RSA specs ask for the modulus sizes 2048, 3072 and 4096 (generation checked for RSA_2048 only: it is slow)', () => {
    expect([
      KEY_SPEC_TABLE.RSA_2048.modulusBits,
      KEY_SPEC_TABLE.RSA_3072.modulusBits,
      KEY_SPEC_TABLE.RSA_4096.modulusBits,
    ]).toEqual([2048, 3072, 4096]);
  });
});

describe('validateImportedMaterial', () => {
  it.each(['AES_128', 'AES_256', 'HMAC_224', 'HMAC_512'])(
    '%s: accepts raw bytes of exactly keyBytes and nothing else',
    (name) => {
      const spec = keySpec(name);
      const length = spec.keyBytes ?? 0;
      const ok = validateImportedMaterial(spec, SecretBytes.random(length));
      expect(ok.material.length).toBe(length);
      for (const wrong of [0, length - 1, length + 1])
        expect(codeOf(() => validateImportedMaterial(spec, SecretBytes.random(wrong)))).toBe('INVALID_KEY_MATERIAL');
    },
  );

  it.each([...ASYMMETRIC_NON_RSA.map((spec) => spec.name), 'RSA_2048', 'RSA_4096'])(
    '%s: accepts its own PKCS#8 DER and returns the same key and its public key',
    async (name) => {
      const spec = keySpec(name);
      const original = await fixtureKey(spec);
      const imported = validateImportedMaterial(spec, original.material);
      expect(imported.material.equals(original.material)).toBe(true);
      expect(Buffer.from(imported.publicKey ?? [])).toEqual(Buffer.from(original.publicKey ?? []));
    },
  );

  it('rejects a key of the right type but the wrong size or curve', async () => {
    const rsa2048 = (await fixtureKey(keySpec('RSA_2048'))).material;
    expect(codeOf(() => validateImportedMaterial(keySpec('RSA_3072'), rsa2048))).toBe('INVALID_KEY_MATERIAL');
    const p384 = (await fixtureKey(keySpec('ECC_NIST_P384'))).material;
    expect(codeOf(() => validateImportedMaterial(keySpec('ECC_NIST_P256'), p384))).toBe('INVALID_KEY_MATERIAL');
    const k1 = (await fixtureKey(keySpec('ECC_SECG_P256K1'))).material;
    expect(codeOf(() => validateImportedMaterial(keySpec('ECC_NIST_P256'), k1))).toBe('INVALID_KEY_MATERIAL');
  });

  it('rejects a key of the wrong type (Ed25519 for X25519, EC for RSA, RSA-PSS for RSA)', async () => {
    const ed = (await fixtureKey(keySpec('ECC_NIST_EDWARDS25519'))).material;
    expect(codeOf(() => validateImportedMaterial(keySpec('X25519'), ed))).toBe('INVALID_KEY_MATERIAL');
    const p256 = (await fixtureKey(keySpec('ECC_NIST_P256'))).material;
    expect(codeOf(() => validateImportedMaterial(keySpec('RSA_2048'), p256))).toBe('INVALID_KEY_MATERIAL');
    const pss = generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs8',
      format: 'der',
    });
    expect(codeOf(() => validateImportedMaterial(keySpec('RSA_2048'), SecretBytes.from(pss)))).toBe(
      'INVALID_KEY_MATERIAL',
    );
  });

  it('rejects garbage, truncated PKCS#8 and an EC key whose embedded public point is not its own', async () => {
    const spec = keySpec('ECC_NIST_P256');
    const der = exposeSecret((await fixtureKey(spec)).material);
    expect(codeOf(() => validateImportedMaterial(spec, SecretBytes.from(new TextEncoder().encode('not a key'))))).toBe(
      'INVALID_KEY_MATERIAL',
    );
    expect(codeOf(() => validateImportedMaterial(spec, SecretBytes.from(der.subarray(0, der.length - 10))))).toBe(
      'INVALID_KEY_MATERIAL',
    );
    // Splice another key's public point into this PKCS#8 (RFC 5915 ECPrivateKey keeps it in the last 65 bytes).
    const other = exposeSecret((await generateKeyMaterial(spec)).material);
    const spliced = Buffer.concat([der.subarray(0, der.length - 65), other.subarray(other.length - 65)]);
    expect(codeOf(() => validateImportedMaterial(spec, SecretBytes.from(spliced)))).toBe('INVALID_KEY_MATERIAL');
  });
});

describe('privateKeyObject (stored PKCS#8: already validated, so a failure is corruption or a bug)', () => {
  /** Expects `run` to throw InternalError (INTERNAL) whose message carries none of `der` and which chains no cause. */
  const expectInternalError = (run: () => unknown, der: Uint8Array): void => {
    let error: unknown;
    try {
      run();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InternalError);
    const { code, message, cause } = error as InternalError;
    expect(code).toBe('INTERNAL');
    expect(cause).toBeUndefined(); // node's parse error is not chained: it may quote the bytes
    // Nor any 9 consecutive bytes of it, in hex or base64, wherever they start.
    const bytes = Buffer.from(der);
    for (let at = 0; at + 9 <= bytes.length; at++) {
      const window = bytes.subarray(at, at + 9);
      expect(message.toLowerCase()).not.toContain(window.toString('hex'));
      for (const encoding of ['base64', 'base64url'] as const) expect(message).not.toContain(window.toString(encoding));
    }
  };

  it('fails with INTERNAL, without the bytes, on garbage and on truncated PKCS#8', async () => {
    const spec = keySpec('ECC_NIST_P256');
    const der = exposeSecret((await fixtureKey(spec)).material);
    for (const bad of [
      new TextEncoder().encode('not a key at all'),
      der.subarray(0, der.length - 10),
      der.subarray(1),
    ]) {
      expectInternalError(() => privateKeyObject(spec, SecretBytes.from(bad)), bad);
    }
  });

  it('fails with INTERNAL, without the bytes, on a valid key of another spec (P-256 as P-384, Ed25519 as P-256, X25519 as Ed25519, RSA_2048 as RSA_3072)', async () => {
    const cases: [stored: string, claimed: string][] = [
      ['ECC_NIST_P256', 'ECC_NIST_P384'],
      ['ECC_NIST_EDWARDS25519', 'ECC_NIST_P256'],
      ['X25519', 'ECC_NIST_EDWARDS25519'],
      ['RSA_2048', 'RSA_3072'],
    ];
    for (const [stored, claimed] of cases) {
      const { material } = await fixtureKey(keySpec(stored));
      expectInternalError(() => privateKeyObject(keySpec(claimed), material), exposeSecret(material));
    }
  });

  it('fails with INTERNAL when a key prepared for one spec is used as another', async () => {
    const { material } = await fixtureKey(keySpec('ECC_NIST_P256'));
    const prepared = PreparedPrivateKey.from(keySpec('ECC_NIST_P256'), material);
    expect(privateKeyObject(keySpec('ECC_NIST_P256'), prepared).asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expectInternalError(() => privateKeyObject(keySpec('ECC_SECG_P256K1'), prepared), exposeSecret(material));
  });

  it('rsaPrivateKeyObject (keys sized by themselves) fails the same way on garbage and on a key that is not RSA', async () => {
    const rsa = exposeSecret((await fixtureKey(keySpec('RSA_2048'))).material);
    expect(rsaPrivateKeyObject(SecretBytes.from(rsa)).asymmetricKeyDetails?.modulusLength).toBe(2048);
    const bad = rsa.subarray(0, rsa.length - 10);
    expectInternalError(() => rsaPrivateKeyObject(SecretBytes.from(bad)), bad);
    const ec = (await fixtureKey(keySpec('ECC_NIST_P256'))).material;
    expectInternalError(() => rsaPrivateKeyObject(ec), exposeSecret(ec));
  });
});

describe('parsePublicKey', () => {
  it('accepts SPKI DER, PEM and JWK of the right spec and returns the same canonical DER', async () => {
    for (const spec of [...ASYMMETRIC_NON_RSA, keySpec('RSA_2048')]) {
      const spki = (await fixtureKey(spec)).publicKey ?? new Uint8Array();
      const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
      expect(Buffer.from(parsePublicKey(spec, spki))).toEqual(Buffer.from(spki));
      expect(Buffer.from(parsePublicKey(spec, String(key.export({ type: 'spki', format: 'pem' }))))).toEqual(
        Buffer.from(spki),
      );
      expect(Buffer.from(parsePublicKey(spec, key.export({ format: 'jwk' }) as { kty: string }))).toEqual(
        Buffer.from(spki),
      );
    }
  });

  it('rejects an SPKI that spells out the curve parameters, even when OpenSSL accepts it (CRYPTO-PITFALLS 4)', () => {
    const tests = loadWycheproof<{
      tcId: number;
      flags: string[];
      result: 'valid' | 'invalid' | 'acceptable';
      comment: string;
      public: string;
    }>('ecdh_secp256r1_test.json').testGroups.flatMap((g) => g.tests);
    const explicit = tests.filter((t) => t.flags.includes('UnnamedCurve'));
    expect(explicit.length).toBeGreaterThan(0);
    // The ModifiedCofactor vector parses in node and still reports prime256v1:
    const cofactor = tests.find((t) => t.flags.includes('ModifiedCofactor'));
    expect(
      createPublicKey({ key: Buffer.from(hex(cofactor?.public)), format: 'der', type: 'spki' }).asymmetricKeyDetails
        ?.namedCurve,
    ).toBe('prime256v1');
    for (const t of explicit)
      expect(
        codeOf(() => parsePublicKey(keySpec('ECC_NIST_P256'), hex(t.public))),
        `tc ${t.tcId}`,
      ).toBe('INVALID_PUBLIC_KEY');
  });

  it('rejects a compressed point (only uncompressed SPKI is canonical)', () => {
    const tests = loadWycheproof<{ tcId: number; flags: string[]; result: 'valid'; comment: string; public: string }>(
      'ecdh_secp256r1_test.json',
    ).testGroups.flatMap((g) => g.tests);
    const compressed = tests.find((t) => t.flags.includes('CompressedPublic'));
    expect(codeOf(() => parsePublicKey(keySpec('ECC_NIST_P256'), hex(compressed?.public)))).toBe('INVALID_PUBLIC_KEY');
  });

  it('rejects a key of the wrong curve, type or size, in every input form', async () => {
    const p384 = (await fixtureKey(keySpec('ECC_NIST_P384'))).publicKey ?? new Uint8Array();
    const p384Key = createPublicKey({ key: Buffer.from(p384), format: 'der', type: 'spki' });
    const p256 = keySpec('ECC_NIST_P256');
    expect(codeOf(() => parsePublicKey(p256, p384))).toBe('INVALID_PUBLIC_KEY');
    expect(codeOf(() => parsePublicKey(p256, String(p384Key.export({ type: 'spki', format: 'pem' }))))).toBe(
      'INVALID_PUBLIC_KEY',
    );
    expect(codeOf(() => parsePublicKey(p256, p384Key.export({ format: 'jwk' }) as { kty: string }))).toBe(
      'INVALID_PUBLIC_KEY',
    );
    const ed = (await fixtureKey(keySpec('ECC_NIST_EDWARDS25519'))).publicKey ?? new Uint8Array();
    expect(codeOf(() => parsePublicKey(keySpec('X25519'), ed))).toBe('INVALID_PUBLIC_KEY');
    const rsa2048 = (await fixtureKey(keySpec('RSA_2048'))).publicKey ?? new Uint8Array();
    expect(codeOf(() => parsePublicKey(keySpec('RSA_3072'), rsa2048))).toBe('INVALID_PUBLIC_KEY');
  });

  it('rejects malformed PEM: other labels, bad base64, trailing text, a private key', async () => {
    const spec = keySpec('ECC_NIST_P256');
    const { publicKey, material } = await fixtureKey(spec);
    const pem = String(
      createPublicKey({ key: Buffer.from(publicKey ?? []), format: 'der', type: 'spki' }).export({
        type: 'spki',
        format: 'pem',
      }),
    );
    for (const bad of [
      pem.replace(/PUBLIC KEY/g, 'RSA PUBLIC KEY'),
      pem.replace('M', '*'),
      pem + 'trailing text',
      '-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n',
      String(
        createPrivateKey({ key: Buffer.from(exposeSecret(material)), format: 'der', type: 'pkcs8' }).export({
          type: 'pkcs8',
          format: 'pem',
        }),
      ),
      'not a key at all',
    ]) {
      expect(codeOf(() => parsePublicKey(spec, bad))).toBe('INVALID_PUBLIC_KEY');
    }
  });

  it('rejects a JWK that carries private fields', async () => {
    const spec = keySpec('ECC_NIST_P256');
    const jwk = privateJwk(spec, (await fixtureKey(spec)).material, { kid: 'k', algorithms: [], keyOps: ['sign'] });
    expect(codeOf(() => parsePublicKey(spec, jwk))).toBe('INVALID_PUBLIC_KEY');
  });

  it('rejects garbage bytes, an empty input, a truncated SPKI, trailing bytes and non-key objects', async () => {
    const spec = keySpec('ECC_NIST_P256');
    const spki = (await fixtureKey(spec)).publicKey ?? new Uint8Array();
    for (const bad of [
      new Uint8Array(0),
      new Uint8Array([1, 2, 3]),
      spki.subarray(0, spki.length - 1),
      Buffer.concat([spki, Buffer.of(0)]),
    ]) {
      expect(codeOf(() => parsePublicKey(spec, bad))).toBe('INVALID_PUBLIC_KEY');
    }
    expect(codeOf(() => parsePublicKey(spec, { kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA' }))).toBe(
      'INVALID_PUBLIC_KEY',
    );
    expect(codeOf(() => parsePublicKey(spec, 42 as never))).toBe('INVALID_PUBLIC_KEY');
  });

  it('symmetric specs have no public key: INVALID_PUBLIC_KEY', () => {
    expect(codeOf(() => parsePublicKey(keySpec('AES_256'), new Uint8Array(32)))).toBe('INVALID_PUBLIC_KEY');
  });
});

describe('privatePem', () => {
  it('privatePem gives PKCS#8 PEM of the same key; AES and HMAC fail with UNSUPPORTED', async () => {
    const spec = keySpec('ECC_NIST_EDWARDS25519');
    const { material } = await fixtureKey(spec);
    const pem = privatePem(spec, material);
    expect(pem.startsWith('-----BEGIN PRIVATE KEY-----')).toBe(true);
    expect(Buffer.from(createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' }))).toEqual(
      Buffer.from(exposeSecret(material)),
    );
    expect(codeOf(() => privatePem(keySpec('HMAC_256'), SecretBytes.random(32)))).toBe('UNSUPPORTED');
  });
});

describe("the contract's spec subsets", () => {
  // Hand-written lists in the contract's schemas; a new spec in the table must land in each that applies.
  const specs = Object.values(KEY_SPEC_TABLE);
  const names = (filter: (spec: (typeof specs)[number]) => boolean) =>
    specs
      .filter(filter)
      .map((spec) => spec.name)
      .sort();

  it('follow the key-spec table: data key pairs are the asymmetric specs, wrapping keys RSA, derived keys symmetric', () => {
    // AWS offers ML-KEM data key pairs; Custos does not (yet): the classical asymmetric specs.
    expect([...DATA_KEY_PAIR_SPECS].sort()).toEqual(
      names((spec) => !isSymmetric(spec) && spec.family.material !== 'seed'),
    );
    expect([...WRAPPING_KEY_SPECS].sort()).toEqual(names((spec) => spec.family.name === 'rsa'));
    expect([...DERIVED_KEY_SPECS].sort()).toEqual(names(isSymmetric));
  });
});
