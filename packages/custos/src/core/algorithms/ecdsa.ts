// ECDSA (FIPS 186-5 §6.4) with DER signatures as AWS KMS returns them: RAW through node:crypto, DIGEST through
// @noble/curves (node has no prehashed ECDSA). Pure; must not import store, service or api.
import { sign, verify, type KeyObject } from 'node:crypto';
import { EC_CURVES } from '../families/ec.js';
import type { SignatureScheme } from './signature-scheme.js';

/**
 * The curve's noble object and low-S policy, from its descriptor (families/ec.ts; CRYPTO-PITFALLS 7). Verification
 * accepts both halves on every curve, as AWS KMS Verify and OpenSSL do: (r, n - s) is malleable but not forgeable.
 */
function curveOf(key: KeyObject) {
  const namedCurve = key.asymmetricKeyDetails?.namedCurve;
  const ecdsa = EC_CURVES.find((curve) => curve.node.namedCurve === namedCurve)?.ecdsa;
  if (ecdsa === undefined) throw new Error('unsupported ECDSA curve');
  return ecdsa;
}

/** Rewrites a DER signature into its low-S twin when the curve's policy asks for it. */
function applyLowS(key: KeyObject, der: Uint8Array): Uint8Array {
  const { noble, lowS } = curveOf(key);
  if (!lowS) return der;
  const parsed = noble.Signature.fromBytes(der, 'der');
  if (!parsed.hasHighS()) return der;
  return new noble.Signature(parsed.r, noble.Point.Fn.ORDER - parsed.s).toBytes('der');
}

const fromB64u = (value: string | undefined, length: number): Uint8Array => {
  const bytes = Buffer.from(value ?? '', 'base64url');
  const out = new Uint8Array(length);
  out.set(bytes, length - bytes.length);
  return out;
};

/** The private scalar (left-padded to the field size) and the uncompressed public point, from node's JWK. */
function scalarOf(key: KeyObject): Uint8Array {
  const jwk = key.export({ format: 'jwk' });
  return fromB64u(jwk.d, Buffer.from(String(jwk.x), 'base64url').length);
}
function pointOf(key: KeyObject): Uint8Array {
  const jwk = key.export({ format: 'jwk' });
  const x = Buffer.from(String(jwk.x), 'base64url');
  return Buffer.concat([Buffer.of(0x04), x, fromB64u(jwk.y, x.length)]);
}

export const ecdsa: SignatureScheme = {
  // DER is node's default encoding; the KeyObject itself (not an options object) takes node's shortest path.
  signRaw: (hash, key, message) => applyLowS(key, sign(hash, message, key)),
  verifyRaw: (hash, key, message, signature) => {
    try {
      return verify(hash, message, { key, dsaEncoding: 'der' }, signature);
    } catch {
      return false;
    }
  },
  // prehash: false makes noble take the digest as the message representative (bits2int, FIPS 186-5 §6.4.1
  // step 3). extraEntropy: hedged nonces (RFC 6979 §3.6), random like OpenSSL's and robust to a weak RNG.
  signDigest: (_hash, key, digest) => {
    const { noble, lowS } = curveOf(key);
    const scalar = scalarOf(key);
    try {
      return noble.sign(digest, scalar, { prehash: false, lowS, format: 'der', extraEntropy: true });
    } finally {
      scalar.fill(0);
    }
  },
  verifyDigest: (_hash, key, digest, signature) => {
    try {
      return curveOf(key).noble.verify(signature, digest, pointOf(key), { prehash: false, lowS: false, format: 'der' });
    } catch {
      return false;
    }
  },
};
