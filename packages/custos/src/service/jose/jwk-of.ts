// What the JWK and JOSE operations share: a key's public JWK as every endpoint serves it (with x5c from its
// certificate chain), the algorithms it allows, and its public KeyObject. Must not import api.
import type { KeyObject } from 'node:crypto';
import { ValidationError, type Algorithm, type Jwk, type KeyUsage } from '@custos/contract';
import { parseCertificate } from '../../core/certificates/x509.js';
import { publicJwk } from '../../core/key-material.js';
import { publicKeyObject } from '../../core/key-objects.js';
import { specEntry, type KeySpecEntry } from '../../core/key-specs.js';
import type { KeyRecord } from '../../store/types.js';
import { certificateChainOf } from '../certificates.js';
import type { ServiceContext } from '../context.js';
import { supportedAlgorithms } from '../key-loading.js';
import { getVersion } from '../key-versions.js';
import { requirePublicKey } from '../require-public-key.js';

/**
 * JWK key_ops of a public key by usage (RFC 7517 §4.3). A key-agreement key has none: jose hands key_ops to
 * WebCrypto, which refuses any usage on an ECDH public key.
 */
const PUBLIC_KEY_OPS: Record<KeyUsage, readonly string[]> = {
  ENCRYPT_DECRYPT: ['encrypt', 'wrapKey'],
  SIGN_VERIFY: ['verify'],
  KEY_AGREEMENT: [],
  GENERATE_VERIFY_MAC: [],
  DERIVE_KEY: [],
  ENCAPSULATE_DECAPSULATE: ['encapsulateBits'], // WebCrypto's ML-KEM public key usage (WICG webcrypto-modern-algos)
};

/** The algorithms the key may use: its constraint, else all its spec has for its usage. */
export function allowedOf(spec: KeySpecEntry, key: KeyRecord): readonly Algorithm[] {
  return key.allowedAlgorithms ?? supportedAlgorithms(spec, key.usage);
}

/** The latest version's public key (SPKI DER); INVALID_KEY_USAGE for a symmetric key. */
export async function publicKeyOf(ctx: ServiceContext, key: KeyRecord): Promise<Uint8Array> {
  if (specEntry(key.spec).family.material === 'raw')
    throw new ValidationError(`a ${key.spec} key has no public key`, 'INVALID_KEY_USAGE');
  const version = await getVersion(ctx, key, key.latestVersion);
  return requirePublicKey(version.publicKey, `a ${key.spec} key`);
}

/** The latest version's public key as a node KeyObject (jose verifies with it). */
export async function publicKeyObjectOf(ctx: ServiceContext, key: KeyRecord): Promise<KeyObject> {
  return publicKeyObject(specEntry(key.spec), await publicKeyOf(ctx, key));
}

/** The key's certificate chain as JWK `x5c` (RFC 7517 §4.7: base64 DER, leaf first), or undefined without one. */
export async function x5cOf(ctx: ServiceContext, key: KeyRecord): Promise<string[] | undefined> {
  const chain = await certificateChainOf(ctx, key.id);
  return chain?.map((pem) => Buffer.from(parseCertificate(pem).rawData).toString('base64'));
}

/**
 * The key's public JWK: kid (the key id), kty, crv, alg (from its family and allowed algorithms), key_ops, and x5c
 * when it has a certificate.
 */
export async function publicJwkOf(ctx: ServiceContext, key: KeyRecord, publicKey?: Uint8Array): Promise<Jwk> {
  const spec = specEntry(key.spec);
  const jwk = publicJwk(spec, publicKey ?? (await publicKeyOf(ctx, key)), {
    kid: key.id,
    algorithms: allowedOf(spec, key),
    keyOps: PUBLIC_KEY_OPS[key.usage],
  });
  const x5c = await x5cOf(ctx, key);
  return x5c ? { ...jwk, x5c } : jwk;
}
