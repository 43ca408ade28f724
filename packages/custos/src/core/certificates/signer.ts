// A WebCrypto-shaped signer over a Custos key: @peculiar/x509 builds a certificate's or CSR's TBS and asks
// `crypto.subtle.sign` for its signature; this crypto answers with the signer's own sign function (the service's
// sign path), so the private key never leaves the service. Everything else goes to Node's WebCrypto.
// Pure: no store, service or api.
import { webcrypto } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
type Algorithm = webcrypto.Algorithm;
/** The crypto and key types as x509's declarations name them (the DOM's, where they exist). */
type X509Crypto = NonNullable<Parameters<typeof x509.X509CertificateGenerator.create>[1]>;
type X509Key = x509.X509CertificateCreateWithKeyParams['signingKey'];
import { UnsupportedError, type SigningAlgorithm } from '@custos/contract';
import { DIGEST_BYTES, HASH_OF, isHashedSigning } from '../algorithms/digests.js';
import type { KeySpecEntry } from '../key-specs.js';
import { x509 } from './x509.js';

/** What signs a certificate or a CSR: a key's spec, the algorithm, its public key, and its sign function. */
export interface CertificateSigner {
  readonly spec: KeySpecEntry;
  readonly algorithm: SigningAlgorithm;
  /** SubjectPublicKeyInfo DER of the signing key. */
  readonly publicKey: Uint8Array;
  /** Signs a RAW message; the signature as core's `sign` returns it (DER for ECDSA). */
  sign(message: Uint8Array): Promise<Uint8Array>;
}

/** The usual algorithm of each signing family for certificates (the curve's own hash for ECDSA, RFC 5480 §4). */
export function defaultCertificateAlgorithm(spec: KeySpecEntry): SigningAlgorithm {
  switch (curveOf(spec)) {
    case 'P-384':
      return 'ECDSA_SHA_384';
    case 'P-521':
      return 'ECDSA_SHA_512';
    case 'Ed25519':
      return 'ED25519_SHA_512';
    case undefined:
      return 'RSASSA_PKCS1_V1_5_SHA_256';
    default:
      return 'ECDSA_SHA_256';
  }
}

/** The JOSE curve of an EC or OKP spec; undefined for RSA (and secret keys). */
function curveOf(spec: KeySpecEntry): string | undefined {
  return 'crv' in spec.family ? spec.family.crv : undefined;
}

const WEB_HASH = { sha1: 'SHA-1', sha224: 'SHA-224', sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' } as const;

/** The WebCrypto algorithm x509 maps to the certificate's signatureAlgorithm (RSA-PSS salt = digest length). */
function webAlgorithm(spec: KeySpecEntry, algorithm: SigningAlgorithm): Algorithm & Record<string, unknown> {
  if (!isHashedSigning(algorithm)) throw new UnsupportedError(`${spec.name} keys cannot sign certificates here`);
  const hashName = HASH_OF[algorithm];
  const hash = { name: WEB_HASH[hashName] };
  if (algorithm === 'ED25519_SHA_512') return { name: 'Ed25519' };
  if (algorithm.startsWith('RSASSA_PSS_')) return { name: 'RSA-PSS', hash, saltLength: DIGEST_BYTES[hashName] };
  if (algorithm.startsWith('RSASSA_PKCS1_V1_5_')) return { name: 'RSASSA-PKCS1-v1_5', hash };
  // Node's WebCrypto, which verifies certificate signatures here, has no secp256k1 (nor does the Web PKI).
  const namedCurve = curveOf(spec);
  if (namedCurve !== 'P-256' && namedCurve !== 'P-384' && namedCurve !== 'P-521')
    throw new UnsupportedError(`${spec.name} keys cannot sign certificates here`);
  return { name: 'ECDSA', namedCurve, hash };
}

/** The WebCrypto-shaped pieces x509's generators take: a crypto provider and the key pair it recognises. */
export interface SigningCrypto {
  readonly crypto: X509Crypto;
  readonly privateKey: X509Key;
  readonly publicKey: X509Key;
  readonly algorithm: Algorithm;
}

const copy = (bytes: Uint8Array): ArrayBuffer => bytes.slice().buffer;

/** A crypto whose `subtle.sign` and `subtle.exportKey('spki')` answer for `signer`'s stand-in keys. */
export function signingCrypto(signer: CertificateSigner): SigningCrypto {
  const algorithm = webAlgorithm(signer.spec, signer.algorithm);
  const stand = (type: webcrypto.KeyType, usages: webcrypto.KeyUsage[]): CryptoKey => ({
    algorithm,
    type,
    extractable: false,
    usages,
  });
  const privateKey = stand('private', ['sign']);
  const publicKey = stand('public', ['verify']);
  const subtle = webcrypto.subtle;
  const sign = async (
    alg: webcrypto.AlgorithmIdentifier,
    key: CryptoKey,
    data: webcrypto.BufferSource,
  ): Promise<ArrayBuffer> => {
    if (key !== privateKey) return subtle.sign(alg, key, data);
    const bytes = ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);
    const signature = await signer.sign(bytes);
    if (algorithm.name !== 'ECDSA') return copy(signature);
    // x509 wants WebCrypto's r‖s; its own formatter turns the DER signature into that (never DER by hand).
    const web = new x509.AsnEcSignatureFormatter().toWebSignature(algorithm, copy(signature));
    if (web === null) throw new UnsupportedError(`${signer.spec.name}: x509 cannot format this signature`);
    return web;
  };
  const exportKey = (format: webcrypto.KeyFormat, key: CryptoKey): Promise<unknown> => {
    if (key === publicKey && format === 'spki') return Promise.resolve(copy(signer.publicKey));
    return format === 'jwk' ? subtle.exportKey(format, key) : subtle.exportKey(format, key);
  };
  const overrides = new Map<PropertyKey, unknown>([
    ['sign', sign],
    ['exportKey', exportKey],
  ]);
  const proxy = new Proxy(subtle, {
    get(target, property) {
      if (overrides.has(property)) return overrides.get(property);
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  const crypto = {
    subtle: proxy,
    getRandomValues: <T extends ArrayBufferView | null>(array: T): T => webcrypto.getRandomValues(array as never),
    randomUUID: () => webcrypto.randomUUID(),
  } as unknown as X509Crypto;
  return { crypto, privateKey, publicKey, algorithm };
}
