// Key material for every spec: generation, import validation, public keys, JWK/PEM export, peer key parsing.
// Material encoding: AES/HMAC raw bytes; RSA/EC/OKP PKCS#8 DER. Pure; no I/O; must not import store, service or api.
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  sign as nodeSign,
  verify as nodeVerify,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { promisify } from 'node:util';
import { UnsupportedError, ValidationError } from '@custos/contract';
import { CURVES, keyMatchesSpec, privateKeyObject, publicKeyObject } from './key-objects.js';
import { isSymmetric, type KeySpecEntry } from './key-specs.js';
import { exposeSecret, SecretBytes } from './secret-bytes.js';

export interface GeneratedKey {
  readonly material: SecretBytes;
  /** SPKI DER for asymmetric specs. */
  readonly publicKey?: Uint8Array;
}

const generateKeyPairAsync = promisify(generateKeyPair);

/** Copies node's DER buffer into SecretBytes and zeroes node's copy. */
function adoptPrivateDer(der: Buffer): SecretBytes {
  const secret = SecretBytes.from(der);
  der.fill(0);
  return secret;
}

/** PKCS#8 DER material and SPKI DER public key of a freshly generated pair. */
function encodePair(pair: { publicKey: KeyObject; privateKey: KeyObject }): GeneratedKey {
  return {
    material: adoptPrivateDer(pair.privateKey.export({ type: 'pkcs8', format: 'der' })),
    publicKey: new Uint8Array(pair.publicKey.export({ type: 'spki', format: 'der' })),
  };
}

/**
 * Generates fresh material for a spec (async: RSA generation is slow and must not block the loop).
 * @example const { material, publicKey } = await generateKeyMaterial(keySpec('ECC_NIST_P256'));
 */
export async function generateKeyMaterial(spec: KeySpecEntry): Promise<GeneratedKey> {
  if (isSymmetric(spec)) return { material: SecretBytes.random(symmetricLength(spec)) };
  if (spec.family === 'rsa') {
    // e = 65537, as AWS KMS and every current profile (NIST SP 800-56B §6.2.1 allows 2^16 < e < 2^256).
    return encodePair(
      await generateKeyPairAsync('rsa', { modulusLength: spec.modulusBits ?? 0, publicExponent: 0x10001 }),
    );
  }
  if (spec.curve === undefined) throw new UnsupportedError(`${spec.name} has no curve`);
  const keyType = CURVES[spec.curve].keyType;
  if (keyType === 'ec') return encodePair(await generateKeyPairAsync('ec', { namedCurve: spec.curve }));
  return encodePair(
    keyType === 'ed25519' ? await generateKeyPairAsync('ed25519') : await generateKeyPairAsync('x25519'),
  );
}

function symmetricLength(spec: KeySpecEntry): number {
  if (spec.keyBytes === undefined) throw new UnsupportedError(`${spec.name} has no raw key length`);
  return spec.keyBytes;
}

const invalidMaterial = (why: string) =>
  new ValidationError(`imported key material is not valid for the key spec: ${why}`, 'INVALID_KEY_MATERIAL');

/**
 * Checks imported material against the spec and returns it normalised: raw bytes of exactly keyBytes for
 * AES/HMAC, a PKCS#8 DER private key of exactly this spec's type/size/curve for the others (re-exported,
 * so the stored form is canonical). ValidationError('INVALID_KEY_MATERIAL') otherwise.
 */
export function validateImportedMaterial(spec: KeySpecEntry, material: SecretBytes): GeneratedKey {
  if (isSymmetric(spec)) {
    if (material.length !== symmetricLength(spec)) throw invalidMaterial(`expected ${spec.keyBytes} bytes`);
    return { material: SecretBytes.from(exposeSecret(material)) };
  }
  let parsed: KeyObject;
  try {
    parsed = createPrivateKey({ key: Buffer.from(exposeSecret(material)), format: 'der', type: 'pkcs8' });
  } catch {
    throw invalidMaterial('not a PKCS#8 DER private key');
  }
  if (!keyMatchesSpec(spec, parsed)) throw invalidMaterial(`not a ${spec.name} private key`);
  // Canonical form: rebuild from the JWK fields, which names the curve (drops explicit EC parameters and
  // any optional PKCS#8 attributes) and makes node check the public point lies on the curve.
  let canonical: KeyObject;
  try {
    canonical = createPrivateKey({ key: parsed.export({ format: 'jwk' }), format: 'jwk' });
  } catch {
    throw invalidMaterial('private key fields are inconsistent');
  }
  const publicKey = createPublicKey(canonical);
  if (!pairwiseConsistent(canonical, publicKey)) throw invalidMaterial('public key does not match private key');
  const der = canonical.export({ type: 'pkcs8', format: 'der' });
  return {
    material: adoptPrivateDer(der),
    publicKey: new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })),
  };
}

/**
 * Pairwise consistency test (FIPS 140-3 IG 10.3.A): a PKCS#8 EC key may carry a public point unrelated to its
 * scalar, and OpenSSL does not check it on load. X25519 needs none: its public key is recomputed from the scalar.
 */
function pairwiseConsistent(privateKey: KeyObject, publicKey: KeyObject): boolean {
  if (privateKey.asymmetricKeyType === 'x25519') return true;
  const probe = Buffer.from('custos pairwise consistency test');
  const hash = privateKey.asymmetricKeyType === 'ed25519' ? null : 'sha256';
  try {
    return nodeVerify(hash, probe, publicKey, nodeSign(hash, probe, privateKey));
  } catch {
    return false;
  }
}

/** SPKI DER of an asymmetric private key (PKCS#8 DER). */
export function publicKeyOf(spec: KeySpecEntry, privateKey: SecretBytes): Uint8Array {
  if (isSymmetric(spec)) throw new UnsupportedError(`${spec.name} has no public key`);
  return new Uint8Array(createPublicKey(privateKeyObject(spec, privateKey)).export({ type: 'spki', format: 'der' }));
}

export { parsePublicKey, type JsonWebKeyInput, type PublicKeyInput } from './public-keys.js';

export interface Jwk {
  readonly kty: string;
  readonly [field: string]: unknown;
}
interface JwkMeta {
  kid: string;
  alg?: string;
  keyOps: readonly string[];
}

function withMeta(fields: JsonWebKey, meta: JwkMeta): Jwk {
  return {
    ...fields,
    kty: String(fields.kty),
    kid: meta.kid,
    ...(meta.alg === undefined ? {} : { alg: meta.alg }),
    key_ops: [...meta.keyOps],
  };
}

/**
 * Public JWK (RFC 7517/7518/8037) with `kid`, `alg` (when the key has one algorithm) and `key_ops`.
 * @example publicJwk(spec, spki, { kid: keyId, alg: 'ES256', keyOps: ['verify'] })
 */
export function publicJwk(
  spec: KeySpecEntry,
  publicKey: Uint8Array,
  meta: { kid: string; alg?: string; keyOps: readonly string[] },
): Jwk {
  if (isSymmetric(spec)) throw new UnsupportedError(`${spec.name} has no public key`);
  return withMeta(publicKeyObject(spec, publicKey).export({ format: 'jwk' }), meta);
}

/** Private/secret JWK (`kty: 'oct'` for AES/HMAC). Caller must have checked exportability and audited. */
export function privateJwk(
  spec: KeySpecEntry,
  material: SecretBytes,
  meta: { kid: string; alg?: string; keyOps: readonly string[] },
): Jwk {
  if (isSymmetric(spec))
    return withMeta({ kty: 'oct', k: Buffer.from(exposeSecret(material)).toString('base64url') }, meta);
  return withMeta(privateKeyObject(spec, material).export({ format: 'jwk' }), meta);
}

/** PKCS#8 PEM of an asymmetric private key; UnsupportedError for symmetric specs (use JWK). */
export function privatePem(spec: KeySpecEntry, material: SecretBytes): string {
  if (isSymmetric(spec)) throw new UnsupportedError(`${spec.name} has no PEM form; export it as a JWK`);
  return String(privateKeyObject(spec, material).export({ type: 'pkcs8', format: 'pem' }));
}
