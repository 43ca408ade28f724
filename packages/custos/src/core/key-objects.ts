// node:crypto KeyObjects for stored and peer asymmetric key material, checked against their spec (the family
// descriptor says how node spells it). Used by key-material.ts and core/algorithms/*. No I/O; no store/service/api.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { InternalError, ValidationError } from '@custos/contract';
import { keyMatchesSpec } from './families/key-pair.js';
import { RSA } from './families/rsa.js';
import { PqPrivateKey } from './pq/private-key.js';
import { KEY_SPEC_ENTRIES, type KeySpecEntry } from './key-specs.js';
import { exposeSecret, type SecretBytes } from './secret-bytes.js';

/**
 * A private key parsed once, for a caller that uses the same key many times (the service's key cache):
 * parsing PKCS#8 costs far more than an ECDSA signature. The key stays inside OpenSSL's KeyObject.
 */
export class PreparedPrivateKey {
  private constructor(
    readonly spec: KeySpecEntry,
    readonly key: KeyObject | PqPrivateKey,
  ) {}

  /** ML-DSA and ML-KEM keys are expanded from their seed by the post-quantum implementation (core/pq/). */
  static from(spec: KeySpecEntry, material: SecretBytes): PreparedPrivateKey {
    const family = spec.family;
    if (family.material === 'seed') return new PreparedPrivateKey(spec, new PqPrivateKey(family.pq, material));
    return new PreparedPrivateKey(spec, privateKeyObject(spec, material));
  }

  toString(): string {
    return '[prepared private key]';
  }
}

/**
 * Parses stored PKCS#8 DER. Stored material was validated on the way in, so a failure here is a bug or
 * corruption (InternalError), never the caller's fault; the node error is not chained (it may quote bytes).
 */
export function privateKeyObject(spec: KeySpecEntry, material: SecretBytes | PreparedPrivateKey): KeyObject {
  if (material instanceof PreparedPrivateKey) {
    if (material.spec.name !== spec.name)
      throw new InternalError(`prepared key is for ${material.spec.name}, not ${spec.name}`);
    if (material.key instanceof PqPrivateKey) throw new InternalError(`${spec.name} has no node:crypto key object`);
    return material.key;
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: Buffer.from(exposeSecret(material)), format: 'der', type: 'pkcs8' });
  } catch {
    throw new InternalError('stored private key cannot be parsed');
  }
  if (!keyMatchesSpec(spec, key)) throw new InternalError(`stored private key does not match ${spec.name}`);
  return key;
}

/** Parses SPKI DER that Custos produced or already checked; ValidationError('INVALID_PUBLIC_KEY') otherwise. */
export function publicKeyObject(spec: KeySpecEntry, spki: Uint8Array): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch {
    throw new ValidationError('public key cannot be parsed as SPKI DER', 'INVALID_PUBLIC_KEY');
  }
  if (!keyMatchesSpec(spec, key))
    throw new ValidationError(`public key does not match ${spec.name}`, 'INVALID_PUBLIC_KEY');
  return key;
}

/** RSA modulus length in bytes (k in RFC 8017). */
export function modulusBytes(key: KeyObject): number {
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (bits === undefined) throw new InternalError('not an RSA key');
  return Math.ceil(bits / 8);
}

/** RSA keys whose size comes from the key itself (OAEP, import wrapping keys): any RSA spec's modulus. */
const RSA_SIZES: ReadonlySet<number> = new Set(
  KEY_SPEC_ENTRIES.flatMap((spec) => (spec.family === RSA && spec.modulusBits !== undefined ? [spec.modulusBits] : [])),
);
const isSupportedRsa = (key: KeyObject) =>
  key.asymmetricKeyType === RSA.node.keyType && RSA_SIZES.has(key.asymmetricKeyDetails?.modulusLength ?? 0);

/** Stored PKCS#8 DER of an RSA_2048/3072/4096 key; InternalError otherwise (see privateKeyObject). */
export function rsaPrivateKeyObject(material: SecretBytes): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: Buffer.from(exposeSecret(material)), format: 'der', type: 'pkcs8' });
  } catch {
    throw new InternalError('stored private key cannot be parsed');
  }
  if (!isSupportedRsa(key)) throw new InternalError('stored private key is not a supported RSA key');
  return key;
}

/** SPKI DER of an RSA_2048/3072/4096 key; ValidationError('INVALID_PUBLIC_KEY') otherwise. */
export function rsaPublicKeyObject(spki: Uint8Array): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch {
    throw new ValidationError('public key cannot be parsed as SPKI DER', 'INVALID_PUBLIC_KEY');
  }
  if (!isSupportedRsa(key))
    throw new ValidationError('not an RSA_2048, RSA_3072 or RSA_4096 public key', 'INVALID_PUBLIC_KEY');
  return key;
}
