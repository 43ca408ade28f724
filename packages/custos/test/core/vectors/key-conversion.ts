// Test-only helpers for the Wycheproof runners: turn the vectors' raw keys into the PKCS#8/SPKI DER Custos takes,
// with node:crypto, and map their names onto Custos's. Imports core only for types and SecretBytes.
import { createECDH, createHash, createPrivateKey } from 'node:crypto';
import { expect } from 'vitest';
import { KmsError, type SigningAlgorithm } from '@custos/contract';
import { verify } from '../../../src/core/algorithms/signature.js';
import { keySpec, type KeySpecEntry } from '../../../src/core/key-specs.js';
import { SecretBytes } from '../../../src/core/secret-bytes.js';
import { hex } from './wycheproof.js';

/** Wycheproof's hash names → the ones in Custos algorithm names. */
export const WYCHEPROOF_HASH: Record<string, 'sha1' | 'sha256' | 'sha384' | 'sha512' | undefined> = {
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

export const rsaSpec = (bits: number): KeySpecEntry => keySpec(`RSA_${bits}`);
export const pssAlgorithm = (sha: string) => `RSASSA_PSS_SHA_${sha.slice(4)}` as SigningAlgorithm;
export const pkcs1Algorithm = (sha: string) => `RSASSA_PKCS1_V1_5_SHA_${sha.slice(4)}` as SigningAlgorithm;
export const ecdsaAlgorithm = (sha: string) => `ECDSA_SHA_${sha.slice(4)}` as SigningAlgorithm;

export const pkcs8 = (hexDer: unknown): SecretBytes => SecretBytes.from(hex(hexDer));

// RFC 8410 §7 / §4: the fixed DER around a raw 32-byte X25519 key.
const X25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const X25519_SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');
export const x25519Pkcs8 = (raw: Uint8Array) => SecretBytes.from(Buffer.concat([X25519_PKCS8_PREFIX, raw]));
export const x25519Spki = (raw: Uint8Array) => new Uint8Array(Buffer.concat([X25519_SPKI_PREFIX, raw]));

/** PKCS#8 DER for a raw EC private scalar (Wycheproof writes it as a signed big-endian integer). */
export function ecPkcs8FromScalar(spec: KeySpecEntry, scalarHex: string): SecretBytes {
  const family = spec.family.material === 'pkcs8' ? spec.family : undefined;
  const [ecdhName, bytes, crv] = [family?.node.namedCurve, family?.fieldBytes, family?.crv];
  if (ecdhName === undefined || bytes === undefined || crv === undefined) throw new Error(`${spec.name} is not EC`);
  const value = BigInt('0x' + scalarHex);
  const d = Buffer.from(value.toString(16).padStart(bytes * 2, '0'), 'hex');
  const ecdh = createECDH(ecdhName);
  ecdh.setPrivateKey(d);
  const point = ecdh.getPublicKey();
  const x = point.subarray(1, 1 + bytes);
  const y = point.subarray(1 + bytes);
  const jwk = {
    kty: 'EC',
    crv,
    d: d.toString('base64url'),
    x: x.toString('base64url'),
    y: y.toString('base64url'),
  };
  return SecretBytes.from(createPrivateKey({ key: jwk, format: 'jwk' }).export({ type: 'pkcs8', format: 'der' }));
}

/** The error code a Custos call threw, or 'accepted' when it returned. */
export function outcome(run: () => unknown): string {
  try {
    run();
    return 'accepted';
  } catch (error) {
    if (error instanceof KmsError) return error.code;
    throw error;
  }
}

/**
 * Verifies through Custos twice, RAW and (where the algorithm has one) DIGEST over node's hash of msg, and
 * insists both paths agree, so every vector also exercises the prehashed code path.
 */
export function verifyRawAndDigest(
  spec: KeySpecEntry,
  algorithm: SigningAlgorithm,
  spki: Uint8Array,
  msg: Uint8Array,
  sig: Uint8Array,
  hash: string | undefined,
): boolean {
  const raw = verify(spec, algorithm, spki, msg, 'RAW', sig);
  if (hash !== undefined) {
    const digest = createHash(hash).update(msg).digest();
    expect(verify(spec, algorithm, spki, digest, 'DIGEST', sig), 'RAW and DIGEST verification disagree').toBe(raw);
  }
  return raw;
}
