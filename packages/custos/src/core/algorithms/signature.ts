// Sign and verify for every signing spec: RSA-PSS (salt = digest length, CRYPTO-PITFALLS 5), RSA PKCS#1 v1.5,
// ECDSA (DER signatures, as AWS KMS returns), Ed25519. Message type RAW or DIGEST. Pure; no I/O.
import type { MessageType, SigningAlgorithm } from '@custos/contract';
import type { KeySpecEntry } from '../key-specs.js';
import type { SecretBytes } from '../secret-bytes.js';

/**
 * `privateKey` is PKCS#8 DER. For DIGEST, `message` must be exactly the digest length of the algorithm
 * (ValidationError otherwise); ED25519_SHA_512 takes RAW only (ValidationError for DIGEST).
 */
export function sign(spec: KeySpecEntry, algorithm: SigningAlgorithm, privateKey: SecretBytes, message: Uint8Array, messageType: MessageType): Uint8Array {
  throw new Error('not implemented');
}
/** `publicKey` is SPKI DER. False for any malformed or non-matching signature; never throws for bad signatures. */
export function verify(spec: KeySpecEntry, algorithm: SigningAlgorithm, publicKey: Uint8Array, message: Uint8Array, messageType: MessageType, signature: Uint8Array): boolean {
  throw new Error('not implemented');
}
