// Peer and imported public keys: parsing SPKI DER, PEM and JWK into canonical SPKI DER for a spec (CRYPTO-PITFALLS 4).
// Re-exported by key-material.ts. Pure; no I/O; must not import store, service or api.
import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { ValidationError } from '@custos/contract';
import { keyMatchesSpec } from './families/key-pair.js';
import { publicKeyObject } from './key-objects.js';
import type { PqKeyFamily } from './families/key-family.js';
import type { KeySpecEntry } from './key-specs.js';
import { decodeSpki, encodeSpki } from './pq/der.js';
import { PQ } from './pq/implementation.js';

export type PublicKeyInput = Uint8Array | string | JsonWebKeyInput;
interface JsonWebKeyInput {
  readonly kty: string;
  readonly [field: string]: unknown;
}

const invalidPublicKey = (why: string) => new ValidationError(`invalid public key: ${why}`, 'INVALID_PUBLIC_KEY');
/** JWK members that only a private key has (RFC 7518 §6.2.2, §6.3.2; RFC 8037 §2). */
const PRIVATE_JWK_FIELDS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;
const PEM_PUBLIC_KEY = /^-----BEGIN PUBLIC KEY-----\r?\n([A-Za-z0-9+/=\r\n]+?)\r?\n?-----END PUBLIC KEY-----\r?\n?$/;

/**
 * Parses a peer or imported public key given as SPKI DER, PEM text, or a JWK object, and checks it belongs to
 * `spec` (type, size, curve). Rejects explicit curve parameters: the key must re-export to the same DER
 * (CRYPTO-PITFALLS 4). Returns canonical SPKI DER. ValidationError('INVALID_PUBLIC_KEY') otherwise.
 * Point compression: only uncompressed EC points are accepted, the form AWS KMS GetPublicKey returns.
 * @example const spki = parsePublicKey(keySpec('ECC_NIST_P256'), pemText);
 */
export function parsePublicKey(spec: KeySpecEntry, input: PublicKeyInput): Uint8Array {
  if (spec.family.material === 'raw') throw invalidPublicKey(`${spec.name} has no public key`);
  if (spec.family.material === 'seed') return parsePqPublicKey(spec.family, input);
  if (typeof input === 'string') return parseDer(spec, pemToDer(input));
  if (input instanceof Uint8Array) return parseDer(spec, input);
  if (isJwk(input)) return parseJwk(spec, input);
  throw invalidPublicKey('expected SPKI DER bytes, PEM text or a JWK');
}

/**
 * ML-DSA and ML-KEM: SPKI DER (or its PEM) of exactly this parameter set, or an AKP JWK with its `alg`. An ML-KEM
 * key must pass FIPS 203 §7.2's modulus check (a trial encapsulation makes it); ML-DSA has no such check.
 */
function parsePqPublicKey(family: PqKeyFamily, input: PublicKeyInput): Uint8Array {
  let raw: Uint8Array;
  if (typeof input === 'string') raw = decodeSpki(family.pq, pemToDer(input));
  else if (input instanceof Uint8Array) raw = decodeSpki(family.pq, input);
  else if (isJwk(input)) {
    if ('priv' in input) throw invalidPublicKey('the JWK holds private key fields');
    if (input.kty !== 'AKP' || input.alg !== family.pq.name || typeof input.pub !== 'string')
      throw invalidPublicKey(`the JWK is not a ${family.pq.name} public key`);
    raw = new Uint8Array(Buffer.from(input.pub, 'base64url'));
    if (raw.length !== family.pq.publicKeyBytes || Buffer.from(raw).toString('base64url') !== input.pub)
      throw invalidPublicKey(`the JWK is not a ${family.pq.name} public key`);
  } else throw invalidPublicKey('expected SPKI DER bytes, PEM text or a JWK');
  if (family.pq.scheme === 'ml-kem') PQ.encapsulate(family.pq, raw);
  return encodeSpki(family.pq, raw);
}

/** An object with a string `kty`; checked at run time for callers the compiler did not see (JavaScript, JSON). */
function isJwk(input: unknown): input is JsonWebKeyInput {
  return typeof input === 'object' && input !== null && 'kty' in input && typeof input.kty === 'string';
}

function pemToDer(pem: string): Uint8Array {
  const match = PEM_PUBLIC_KEY.exec(pem.trim() + '\n');
  const body = match?.[1]?.replace(/[\r\n]/g, '') ?? '';
  const der = Buffer.from(body, 'base64');
  // Buffer's decoder skips bad characters silently; insist the text is exactly the encoding of the bytes.
  if (body === '' || der.toString('base64') !== body)
    throw invalidPublicKey("expected PEM text with one '-----BEGIN PUBLIC KEY-----' block");
  return new Uint8Array(der);
}

/** The canonical SPKI DER of a key: rebuilt from its JWK, so named curve, uncompressed point, minimal encoding. */
function canonicalSpki(key: KeyObject): Buffer {
  return createPublicKey({ key: key.export({ format: 'jwk' }), format: 'jwk' }).export({ type: 'spki', format: 'der' });
}

function parseDer(spec: KeySpecEntry, der: Uint8Array): Uint8Array {
  const key = publicKeyObject(spec, der);
  let canonical: Buffer;
  try {
    canonical = canonicalSpki(key);
  } catch {
    throw invalidPublicKey('public key cannot be re-encoded');
  }
  // CRYPTO-PITFALLS 4: OpenSSL reports the named curve even for explicit (possibly wrong) parameters.
  if (!canonical.equals(der))
    throw invalidPublicKey('not the canonical SPKI encoding (explicit curve parameters, compressed point or non-DER)');
  return new Uint8Array(canonical);
}

function parseJwk(spec: KeySpecEntry, jwk: JsonWebKeyInput): Uint8Array {
  if (PRIVATE_JWK_FIELDS.some((field) => field in jwk)) throw invalidPublicKey('the JWK holds private key fields');
  let key: KeyObject;
  try {
    key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
  } catch {
    throw invalidPublicKey('the JWK cannot be parsed');
  }
  if (!keyMatchesSpec(spec, key)) throw invalidPublicKey(`the JWK is not a ${spec.name} public key`);
  return new Uint8Array(key.export({ type: 'spki', format: 'der' }));
}
