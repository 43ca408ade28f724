// Key material for every spec: generation, import validation, public keys, JWK/PEM export, peer key parsing.
// Material encoding: AES/HMAC raw bytes; RSA/EC/OKP PKCS#8 DER. Pure; no I/O.
import type { KeySpecEntry } from './key-specs.js';
import type { SecretBytes } from './secret-bytes.js';

export interface GeneratedKey {
  readonly material: SecretBytes;
  /** SPKI DER for asymmetric specs. */
  readonly publicKey?: Uint8Array;
}

/** Generates fresh material for a spec (async: RSA generation is slow and must not block the loop). */
export async function generateKeyMaterial(spec: KeySpecEntry): Promise<GeneratedKey> {
  throw new Error('not implemented');
}

/**
 * Checks imported material against the spec and returns it normalised: raw bytes of exactly keyBytes for
 * AES/HMAC, a PKCS#8 DER private key of exactly this spec's type/size/curve for the others (re-exported,
 * so the stored form is canonical). ValidationError('INVALID_KEY_MATERIAL') otherwise.
 */
export function validateImportedMaterial(spec: KeySpecEntry, material: SecretBytes): GeneratedKey {
  throw new Error('not implemented');
}

/** SPKI DER of an asymmetric private key (PKCS#8 DER). */
export function publicKeyOf(spec: KeySpecEntry, privateKey: SecretBytes): Uint8Array {
  throw new Error('not implemented');
}

export type PublicKeyInput = Uint8Array | string | JsonWebKeyInput;
export interface JsonWebKeyInput {
  readonly kty: string;
  readonly [field: string]: unknown;
}

/**
 * Parses a peer or imported public key given as SPKI DER, PEM text, or a JWK object, and checks it belongs to
 * `spec` (type, size, curve). Rejects explicit curve parameters: the key must re-export to the same DER
 * (CRYPTO-PITFALLS 4). Returns canonical SPKI DER. ValidationError('INVALID_PUBLIC_KEY') otherwise.
 */
export function parsePublicKey(spec: KeySpecEntry, input: PublicKeyInput): Uint8Array {
  throw new Error('not implemented');
}

export interface Jwk {
  readonly kty: string;
  readonly [field: string]: unknown;
}

/** Public JWK (RFC 7517/7518/8037) with `kid`, `alg` (when the key has one algorithm) and `key_ops`. */
export function publicJwk(spec: KeySpecEntry, publicKey: Uint8Array, meta: { kid: string; alg?: string; keyOps: readonly string[] }): Jwk {
  throw new Error('not implemented');
}

/** Private/secret JWK (`kty: 'oct'` for AES/HMAC). Caller must have checked exportability and audited. */
export function privateJwk(spec: KeySpecEntry, material: SecretBytes, meta: { kid: string; alg?: string; keyOps: readonly string[] }): Jwk {
  throw new Error('not implemented');
}

/** PKCS#8 PEM of an asymmetric private key; UnsupportedError for symmetric specs (use JWK). */
export function privatePem(spec: KeySpecEntry, material: SecretBytes): string {
  throw new Error('not implemented');
}
