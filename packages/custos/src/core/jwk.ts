// JWK export (RFC 7517, 7518, 8037): public and private/secret keys with kid, alg and key_ops. The `alg` comes only
// from the key's family and allowed algorithms, never from a caller. Pure; must not import store, service or api.
import type { JsonWebKey } from 'node:crypto';
import { UnsupportedError, type Algorithm } from '@custos/contract';
import { privateKeyObject, publicKeyObject } from './key-objects.js';
import type { KeySpecEntry } from './key-specs.js';
import { decodeSpki } from './pq/der.js';
import { PQ } from './pq/implementation.js';
import { exposeSecret, type SecretBytes } from './secret-bytes.js';

const base64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

export interface Jwk {
  readonly kty: string;
  readonly [field: string]: unknown;
}

/** What the JWK says about the key besides its material: `algorithms` are those the key allows for its usage. */
export interface JwkMeta {
  readonly kid: string;
  readonly algorithms: readonly Algorithm[];
  readonly keyOps: readonly string[];
}

/**
 * The JWK `alg` of a key allowed `algorithms`: the one JOSE name among them, or the family's preferred one when
 * there are several (RSA encryption keys: RSA-OAEP-256), or none (RFC 7517 §4.4: a JWK names one algorithm).
 * @example jwkAlg(keySpec('ECC_SECG_P256K1'), ['ECDSA_SHA_256']) // 'ES256K'
 */
export function jwkAlg(spec: KeySpecEntry, algorithms: readonly Algorithm[]): string | undefined {
  const named = [...new Set(algorithms.flatMap((algorithm) => spec.family.joseAlg(spec, algorithm) ?? []))];
  if (named.length <= 1) return named[0];
  return spec.family.jwkPreference?.find((alg) => named.includes(alg));
}

function withMeta(spec: KeySpecEntry, fields: JsonWebKey, meta: JwkMeta): Jwk {
  const alg = jwkAlg(spec, meta.algorithms);
  return {
    ...fields,
    kty: spec.family.kty,
    kid: meta.kid,
    ...(alg === undefined ? {} : { alg }),
    key_ops: [...meta.keyOps],
  };
}

/**
 * Public JWK with `kid`, `alg` (see jwkAlg) and `key_ops`; UnsupportedError for AES and HMAC.
 * @example publicJwk(spec, spki, { kid: keyId, algorithms: ['ECDSA_SHA_256'], keyOps: ['verify'] })
 */
export function publicJwk(spec: KeySpecEntry, publicKey: Uint8Array, meta: JwkMeta): Jwk {
  const family = spec.family;
  if (family.material === 'raw') throw new UnsupportedError(`${spec.name} has no public key`);
  // AKP (draft-ietf-cose-dilithium §5, draft-ietf-jose-pqc-kem): `pub` is the raw public key, `alg` the parameter set.
  if (family.material === 'seed') return withMeta(spec, { pub: base64url(decodeSpki(family.pq, publicKey)) }, meta);
  return withMeta(spec, publicKeyObject(spec, publicKey).export({ format: 'jwk' }), meta);
}

/** Private/secret JWK (`kty: 'oct'` for AES/HMAC). Caller must have checked exportability and audited. */
export function privateJwk(spec: KeySpecEntry, material: SecretBytes, meta: JwkMeta): Jwk {
  const family = spec.family;
  if (family.material === 'raw') return withMeta(spec, { k: base64url(exposeSecret(material)) }, meta);
  // AKP private key: `priv` is the seed, as node:crypto exports it.
  if (family.material === 'seed') {
    const seed = exposeSecret(material);
    return withMeta(spec, { pub: base64url(PQ.publicKey(family.pq, seed)), priv: base64url(seed) }, meta);
  }
  return withMeta(spec, privateKeyObject(spec, material).export({ format: 'jwk' }), meta);
}
