// The shape every signature family implements (rsa-signature.ts, ecdsa.ts, ed25519.ts).
// Types and constants only; must not import store, service or api.
import type { KeyObject } from 'node:crypto';
import type { HashName } from './digests.js';

/** The digests signing algorithms use (HASH_OF of every SigningAlgorithm). */
export type SigningHash = Extract<HashName, 'sha256' | 'sha384' | 'sha512'>;

/**
 * One signature family. Keys arrive parsed and checked against the spec; DIGEST input arrives with its length
 * checked. `verify*` return false for any malformed or wrong signature and never throw for one.
 * `signDigest`/`verifyDigest` are absent where the scheme has no prehashed form (Ed25519, RFC 8032 §5.1).
 */
export interface SignatureScheme {
  signRaw(hash: SigningHash, key: KeyObject, message: Uint8Array): Uint8Array;
  verifyRaw(hash: SigningHash, key: KeyObject, message: Uint8Array, signature: Uint8Array): boolean;
  signDigest?(hash: SigningHash, key: KeyObject, digest: Uint8Array): Uint8Array;
  verifyDigest?(hash: SigningHash, key: KeyObject, digest: Uint8Array, signature: Uint8Array): boolean;
}
