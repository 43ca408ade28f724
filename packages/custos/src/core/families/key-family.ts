// The shape of a key family descriptor (STYLE §2): sizes, OIDs, node, noble and JOSE names, generation, import
// checks and the algorithms served, for one family or curve. Types only; must not import store, service or api.
import type { Algorithm, KeySpec } from '@custos/contract';
import type { ECDSA } from '@noble/curves/abstract/weierstrass.js';
import type { PqParameters } from '../pq/parameters.js';
import type { SecretBytes } from '../secret-bytes.js';

type FamilyName = 'aes' | 'hmac' | 'rsa' | 'ec' | 'okp' | 'ml-dsa' | 'ml-kem';

/** What generation and import return: the material to wrap and, for a key pair, its SPKI DER public key. */
export interface GeneratedKey {
  readonly material: SecretBytes;
  /** SPKI DER for asymmetric specs. */
  readonly publicKey?: Uint8Array;
}

/** What a family reads from a key-spec entry: its name and the size the spec picks (key-specs.ts). */
export interface SpecParameters {
  readonly name: KeySpec;
  readonly family: KeyFamily;
  /** AES and HMAC: the length of the raw key in bytes. */
  readonly keyBytes?: number;
  /** RSA: modulus length in bits. */
  readonly modulusBits?: number;
}

interface FamilyBase {
  readonly name: FamilyName;
  /** The algorithms a key of this family can serve; every spec's lists are drawn from these (checked on load). */
  readonly serves: readonly Algorithm[];
  /**
   * The JOSE `alg` of an algorithm on a key of `spec` (RFC 7518 §3.1, §4.1, §5.1; RFC 8037 §3.1; RFC 8812 §3.2),
   * undefined where JOSE names none. The only source of a JWK's `alg`: a wrong curve/alg pair cannot be written.
   */
  joseAlg(spec: SpecParameters, algorithm: Algorithm): string | undefined;
  /**
   * When a key allows several algorithms with JOSE names, its JWK names the first of these it allows (and none
   * when it allows none of them): a JWK names one algorithm or none (RFC 7517 §4.4).
   */
  readonly jwkPreference?: readonly string[];
  /** Fresh material (async: RSA generation is slow and must not block the loop). */
  generate(spec: SpecParameters): Promise<GeneratedKey>;
  /** Checks imported material and returns it canonical; ValidationError('INVALID_KEY_MATERIAL') otherwise. */
  checkImport(spec: SpecParameters, material: SecretBytes): GeneratedKey;
}

/** AES, HMAC: raw key bytes, no public key; JOSE `kty` "oct" (RFC 7518 §6.4). */
export interface SecretKeyFamily extends FamilyBase {
  readonly material: 'raw';
  readonly kty: 'oct';
}

/** RSA, EC, OKP: PKCS#8 DER private key, SPKI DER public key. */
export interface KeyPairFamily extends FamilyBase {
  readonly material: 'pkcs8';
  /** JOSE key type (RFC 7518 §6.1, RFC 8037 §2). */
  readonly kty: 'RSA' | 'EC' | 'OKP';
  /** JOSE `crv` (RFC 7518 §6.2.1.1, RFC 8037 §2, RFC 8812 §3.1); absent for RSA. */
  readonly crv?: string;
  /** The SPKI algorithm OID for OKP and RSA, the namedCurve OID for EC (RFC 5480 §2.1.1.1, RFC 8410 §3, RFC 8017 A.1). */
  readonly oid: string;
  /** node:crypto's `asymmetricKeyType`, and for EC `asymmetricKeyDetails.namedCurve` (OpenSSL's curve name). */
  readonly node: { readonly keyType: 'rsa' | 'ec' | 'ed25519' | 'x25519'; readonly namedCurve?: string };
  /** EC and OKP: the length of a coordinate or of the raw key, in bytes. */
  readonly fieldBytes?: number;
  /** EC signing: noble's curve (node has no prehashed ECDSA) and the low-S policy (CRYPTO-PITFALLS 7). */
  readonly ecdsa?: { readonly noble: ECDSA; readonly lowS: boolean };
  /**
   * Pairwise consistency test on import (FIPS 140-3 IG 10.3.A): sign a probe with this digest (null: the scheme
   * hashes itself), or 'recomputed' when node derives the public key from the private one on load (X25519).
   */
  readonly pairwise: { readonly digest: 'sha256' | null } | 'recomputed';
}

/**
 * ML-DSA, ML-KEM (FIPS 204, 203): the stored material is the seed (32 or 64 bytes), whichever implementation runs
 * (core/pq/implementation.ts), so a data directory moves between Node versions; SPKI DER public key; JOSE `kty` "AKP".
 */
export interface PqKeyFamily extends FamilyBase {
  readonly material: 'seed';
  readonly kty: 'AKP';
  readonly pq: PqParameters;
}

export type KeyFamily = SecretKeyFamily | KeyPairFamily | PqKeyFamily;
