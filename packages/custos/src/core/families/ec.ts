// The EC family (SEC 1, FIPS 186-5): one descriptor per curve, PKCS#8 keys with the named curve, ECDSA (DER
// signatures, as AWS KMS) and ECDH. Adding a curve is one row here and one in key-specs.ts. Pure; no store/service/api.
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import type { Algorithm } from '@custos/contract';
import type { KeyPairFamily } from './key-family.js';
import { checkPrivateKey, encodePair } from './key-pair.js';

const generateKeyPairAsync = promisify(generateKeyPair);

interface Curve {
  /** JOSE `crv`; node:crypto takes it as a namedCurve too. */
  readonly crv: string;
  /** OpenSSL's name, which node reports as `asymmetricKeyDetails.namedCurve`. */
  readonly namedCurve: string;
  readonly oid: string;
  readonly fieldBytes: number;
  readonly ecdsa: NonNullable<KeyPairFamily['ecdsa']>;
  /** Each algorithm the curve serves, with its JOSE `alg`. */
  readonly jose: Partial<Record<Algorithm, string>>;
}

/** One descriptor per curve, built from its row; every curve shares generation and the import checks. */
function ecCurve(curve: Curve): KeyPairFamily {
  return {
    name: 'ec',
    material: 'pkcs8',
    kty: 'EC',
    crv: curve.crv,
    oid: curve.oid,
    node: { keyType: 'ec', namedCurve: curve.namedCurve },
    fieldBytes: curve.fieldBytes,
    ecdsa: curve.ecdsa,
    pairwise: { digest: 'sha256' },
    serves: Object.keys(curve.jose) as Algorithm[],
    joseAlg: (_spec, algorithm) => curve.jose[algorithm],
    generate: async () => encodePair(await generateKeyPairAsync('ec', { namedCurve: curve.crv })),
    checkImport: checkPrivateKey,
  };
}

// AWS pairs each NIST curve with one digest (ES256/384/512, RFC 7518 §3.4); ECDH is ECDH-ES (RFC 7518 §4.6).
// Low-S (CRYPTO-PITFALLS 7): NIST-curve signatures are left as OpenSSL makes them.
export const P256 = ecCurve({
  crv: 'P-256',
  namedCurve: 'prime256v1',
  oid: '1.2.840.10045.3.1.7',
  fieldBytes: 32,
  ecdsa: { noble: p256, lowS: false },
  jose: { ECDSA_SHA_256: 'ES256', ECDH: 'ECDH-ES' },
});
export const P384 = ecCurve({
  crv: 'P-384',
  namedCurve: 'secp384r1',
  oid: '1.3.132.0.34',
  fieldBytes: 48,
  ecdsa: { noble: p384, lowS: false },
  jose: { ECDSA_SHA_384: 'ES384', ECDH: 'ECDH-ES' },
});
export const P521 = ecCurve({
  crv: 'P-521',
  namedCurve: 'secp521r1',
  oid: '1.3.132.0.35',
  fieldBytes: 66,
  ecdsa: { noble: p521, lowS: false },
  jose: { ECDSA_SHA_512: 'ES512', ECDH: 'ECDH-ES' },
});
// secp256k1 signs with SHA-256 as ES256K (RFC 8812 §3.2), never ES256, and low-S (BIP-62/BIP-146), so Bitcoin and
// Ethereum verifiers accept its signatures. AWS offers no ECDH on it.
export const SECP256K1 = ecCurve({
  crv: 'secp256k1',
  namedCurve: 'secp256k1',
  oid: '1.3.132.0.10',
  fieldBytes: 32,
  ecdsa: { noble: secp256k1, lowS: true },
  jose: { ECDSA_SHA_256: 'ES256K' },
});

/** Every EC curve, for code that finds one from a parsed key (ECDSA's prehashed path). */
export const EC_CURVES: readonly KeyPairFamily[] = [P256, P384, P521, SECP256K1];
