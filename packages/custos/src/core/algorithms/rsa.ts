// RSA: OAEP encryption (hash pinned, SHA-1 or SHA-256 for OAEP and MGF1 alike, as AWS KMS does;
// CRYPTO-PITFALLS 6) and the RSA_AES_KEY_WRAP import scheme. PKCS#1 v1.5 decryption stays off. Pure; no store/service/api.
import { constants, privateDecrypt, publicEncrypt } from 'node:crypto';
import {
  InvalidCiphertextError,
  ValidationError,
  type EncryptionAlgorithm,
  type WrappingAlgorithm,
} from '@custos/contract';
import { DIGEST_BYTES, HASH_OF } from './digests.js';
import { modulusBytes, rsaPrivateKeyObject, rsaPublicKeyObject } from '../key-objects.js';
import { exposeSecret, SecretBytes } from '../secret-bytes.js';
import { aesKeyUnwrapPad, aesKeyWrapPad } from './aes-kw.js';

type OaepAlgorithm = Exclude<EncryptionAlgorithm, 'SYMMETRIC_DEFAULT'>;

/**
 * RSAES-OAEP encryption (RFC 8017 §7.1). node:crypto uses `oaepHash` for both the label hash and MGF1, which is
 * exactly AWS KMS's RSAES_OAEP_SHA_1 / RSAES_OAEP_SHA_256 (OAEP and MGF1 share the hash; empty label).
 * `publicKey` is SPKI DER. ValidationError when the plaintext is too long for the modulus.
 * @example const ct = rsaOaepEncrypt('RSAES_OAEP_SHA_256', spki, dataKey);
 */
export function rsaOaepEncrypt(algorithm: OaepAlgorithm, publicKey: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const hash = HASH_OF[algorithm];
  const key = rsaPublicKeyObject(publicKey);
  // RFC 8017 §7.1.1 step 1.b: mLen <= k - 2hLen - 2.
  const max = modulusBytes(key) - 2 * DIGEST_BYTES[hash] - 2;
  if (plaintext.length > max)
    throw new ValidationError(
      `plaintext too long for ${algorithm} with this key: at most ${max} bytes`,
      'VALIDATION_ERROR',
    );
  return new Uint8Array(publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, plaintext));
}

/**
 * RSAES-OAEP decryption (RFC 8017 §7.1.2). `privateKey` is PKCS#8 DER. InvalidCiphertextError on any failure,
 * with no cause attached: distinguishable OAEP failures are a padding oracle (Manger, CRYPTO 2001).
 */
export function rsaOaepDecrypt(algorithm: OaepAlgorithm, privateKey: SecretBytes, ciphertext: Uint8Array): Uint8Array {
  const key = rsaPrivateKeyObject(privateKey);
  if (ciphertext.length !== modulusBytes(key)) throw new InvalidCiphertextError();
  try {
    return new Uint8Array(
      privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: HASH_OF[algorithm] }, ciphertext),
    );
  } catch {
    throw new InvalidCiphertextError();
  }
}

/**
 * AWS KMS import wrapping algorithms (ImportKeyMaterial, "Wrap key material"): the OAEP hash, and whether the
 * material goes under AES-KWP with an ephemeral AES-256 key that is itself OAEP-encrypted (RSA_AES_KEY_WRAP_*).
 */
const WRAPPING: Record<WrappingAlgorithm, { readonly oaep: OaepAlgorithm; readonly hybrid: boolean }> = {
  RSAES_OAEP_SHA_1: { oaep: 'RSAES_OAEP_SHA_1', hybrid: false },
  RSAES_OAEP_SHA_256: { oaep: 'RSAES_OAEP_SHA_256', hybrid: false },
  RSA_AES_KEY_WRAP_SHA_1: { oaep: 'RSAES_OAEP_SHA_1', hybrid: true },
  RSA_AES_KEY_WRAP_SHA_256: { oaep: 'RSAES_OAEP_SHA_256', hybrid: true },
};
const EPHEMERAL_KEY_BYTES = 32;

const badMaterial = () =>
  new ValidationError('wrapped key material cannot be unwrapped with this import wrapping key', 'INVALID_KEY_MATERIAL');

/**
 * Unwraps imported key material wrapped under an import wrapping key (AWS GetParametersForImport):
 * RSAES_OAEP_SHA_* directly, or RSA_AES_KEY_WRAP_SHA_* (OAEP-wrapped ephemeral AES-256 key, then
 * AES-KWP of the material, RFC 5649). ValidationError('INVALID_KEY_MATERIAL') on any failure.
 */
export function unwrapImportedMaterial(
  algorithm: WrappingAlgorithm,
  wrappingPrivateKey: SecretBytes,
  wrapped: Uint8Array,
): SecretBytes {
  const { oaep, hybrid } = WRAPPING[algorithm];
  const decrypt = (ciphertext: Uint8Array): SecretBytes => {
    try {
      return SecretBytes.adopt(rsaOaepDecrypt(oaep, wrappingPrivateKey, ciphertext));
    } catch {
      throw badMaterial();
    }
  };
  if (!hybrid) return decrypt(wrapped);
  // wrapped = OAEP(ephemeral key) (exactly k bytes) || AES-KWP(ephemeral key, material) (at least 16 bytes).
  const k = modulusBytes(rsaPrivateKeyObject(wrappingPrivateKey));
  if (wrapped.length < k + 16) throw badMaterial();
  const ephemeral = decrypt(wrapped.subarray(0, k));
  try {
    if (ephemeral.length !== EPHEMERAL_KEY_BYTES) throw badMaterial();
    return aesKeyUnwrapPad(ephemeral, wrapped.subarray(k));
  } catch {
    throw badMaterial();
  } finally {
    ephemeral.wipe();
  }
}

/**
 * The client side of the above, for tests, the CLI and the SDK docs.
 * @example const wrapped = wrapForImport('RSA_AES_KEY_WRAP_SHA_256', wrappingSpki, pkcs8Der);
 */
export function wrapForImport(
  algorithm: WrappingAlgorithm,
  wrappingPublicKey: Uint8Array,
  material: Uint8Array,
): Uint8Array {
  const { oaep, hybrid } = WRAPPING[algorithm];
  if (!hybrid) return rsaOaepEncrypt(oaep, wrappingPublicKey, material);
  const ephemeral = SecretBytes.random(EPHEMERAL_KEY_BYTES);
  try {
    const head = rsaOaepEncrypt(oaep, wrappingPublicKey, exposeSecret(ephemeral));
    const tail = aesKeyWrapPad(ephemeral, SecretBytes.from(material));
    return Buffer.concat([head, tail]);
  } finally {
    ephemeral.wipe();
  }
}
