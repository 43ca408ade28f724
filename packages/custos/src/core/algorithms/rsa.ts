// RSA: OAEP encryption (hash pinned, SHA-1 or SHA-256 for OAEP and MGF1 alike, as AWS KMS does;
// CRYPTO-PITFALLS 6) and the RSA_AES_KEY_WRAP import scheme. PKCS#1 v1.5 decryption stays off. Pure.
import type { EncryptionAlgorithm, WrappingAlgorithm } from '@custos/contract';
import type { SecretBytes } from '../secret-bytes.js';

/** `publicKey` is SPKI DER. ValidationError when the plaintext is too long for the modulus. */
export function rsaOaepEncrypt(algorithm: Exclude<EncryptionAlgorithm, 'SYMMETRIC_DEFAULT'>, publicKey: Uint8Array, plaintext: Uint8Array): Uint8Array {
  throw new Error('not implemented');
}
/** `privateKey` is PKCS#8 DER. InvalidCiphertextError on any failure. */
export function rsaOaepDecrypt(algorithm: Exclude<EncryptionAlgorithm, 'SYMMETRIC_DEFAULT'>, privateKey: SecretBytes, ciphertext: Uint8Array): Uint8Array {
  throw new Error('not implemented');
}
/**
 * Unwraps imported key material wrapped under an import wrapping key (AWS GetParametersForImport):
 * RSAES_OAEP_SHA_* directly, or RSA_AES_KEY_WRAP_SHA_* (OAEP-wrapped ephemeral AES-256 key, then
 * AES-KWP of the material, RFC 5649). ValidationError('INVALID_KEY_MATERIAL') on any failure.
 */
export function unwrapImportedMaterial(algorithm: WrappingAlgorithm, wrappingPrivateKey: SecretBytes, wrapped: Uint8Array): SecretBytes {
  throw new Error('not implemented');
}
/** The client side of the above, for tests, the CLI and the SDK docs. */
export function wrapForImport(algorithm: WrappingAlgorithm, wrappingPublicKey: Uint8Array, material: Uint8Array): Uint8Array {
  throw new Error('not implemented');
}
