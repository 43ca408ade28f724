// Sign and verify for every signing spec: RSA-PSS (salt = digest length, CRYPTO-PITFALLS 5), RSA PKCS#1 v1.5,
// ECDSA (DER signatures, as AWS KMS returns), Ed25519, ML-DSA (ml-dsa.ts). Message type RAW or DIGEST, and EXTERNAL_MU
// for ML-DSA only. Pure; no store, service or api.
import { InternalError, ValidationError, type MessageType, type SigningAlgorithm } from '@custos/contract';
import { PreparedPrivateKey, privateKeyObject, publicKeyObject } from '../key-objects.js';
import type { KeySpecEntry } from '../key-specs.js';
import { DIGEST_BYTES, HASH_OF, isHashedSigning, type HashedSigningAlgorithm } from './digests.js';
import { mlDsaSign, mlDsaVerify } from './ml-dsa.js';
import { PqPrivateKey } from '../pq/private-key.js';
import { ownBytes } from '../own-bytes.js';
import { SecretBytes } from '../secret-bytes.js';
import { ecdsa } from './ecdsa.js';
import { ed25519 } from './ed25519.js';
import { rsaPkcs1, rsaPss } from './rsa-signature.js';
import type { SignatureScheme } from './signature-scheme.js';

/** Which family implements each algorithm; the digest comes from HASH_OF. */
const SCHEMES: Record<HashedSigningAlgorithm, SignatureScheme> = {
  RSASSA_PSS_SHA_256: rsaPss,
  RSASSA_PSS_SHA_384: rsaPss,
  RSASSA_PSS_SHA_512: rsaPss,
  RSASSA_PKCS1_V1_5_SHA_256: rsaPkcs1,
  RSASSA_PKCS1_V1_5_SHA_384: rsaPkcs1,
  RSASSA_PKCS1_V1_5_SHA_512: rsaPkcs1,
  ECDSA_SHA_256: ecdsa,
  ECDSA_SHA_384: ecdsa,
  ECDSA_SHA_512: ecdsa,
  ED25519_SHA_512: ed25519,
};

/** The spec serves the algorithm (ValidationError otherwise). */
function checkAlgorithm(spec: KeySpecEntry, algorithm: SigningAlgorithm): void {
  if (!spec.signing.includes(algorithm))
    throw new ValidationError(`${algorithm} is not a signing algorithm of ${spec.name}`, 'VALIDATION_ERROR');
}

/** Checks the (spec, algorithm, message type, digest length) combination; throws ValidationError, never signs. */
function prepare(algorithm: HashedSigningAlgorithm, message: Uint8Array, messageType: MessageType) {
  if (messageType === 'EXTERNAL_MU')
    throw new ValidationError(`EXTERNAL_MU is for ML_DSA_SHAKE_256 only, not ${algorithm}`, 'VALIDATION_ERROR');
  const scheme = SCHEMES[algorithm];
  const hash = HASH_OF[algorithm];
  if (messageType === 'DIGEST') {
    if (scheme.signDigest === undefined || scheme.verifyDigest === undefined) {
      throw new ValidationError(`${algorithm} signs RAW messages only`, 'VALIDATION_ERROR');
    }
    // AWS KMS Sign: "If you use the DIGEST value, ... the message must be the digest length of the algorithm".
    if (message.length !== DIGEST_BYTES[hash]) {
      throw new ValidationError(
        `a ${algorithm} DIGEST message must be ${DIGEST_BYTES[hash]} bytes`,
        'VALIDATION_ERROR',
      );
    }
  }
  return { scheme, hash };
}

/**
 * `privateKey` is PKCS#8 DER. For DIGEST, `message` must be exactly the digest length of the algorithm
 * (ValidationError otherwise); ED25519_SHA_512 takes RAW only (ValidationError for DIGEST).
 * @example const sig = sign(keySpec('ECC_NIST_P256'), 'ECDSA_SHA_256', material, message, 'RAW');
 */
export function sign(
  spec: KeySpecEntry,
  algorithm: SigningAlgorithm,
  privateKey: SecretBytes | PreparedPrivateKey,
  message: Uint8Array,
  messageType: MessageType,
): Uint8Array {
  checkAlgorithm(spec, algorithm);
  if (!isHashedSigning(algorithm)) {
    const prepared = privateKey instanceof PreparedPrivateKey ? privateKey.key : privateKey;
    if (!(prepared instanceof PqPrivateKey) && !(prepared instanceof SecretBytes))
      throw new InternalError(`${spec.name} is not a post-quantum key`);
    return mlDsaSign(spec, prepared, message, messageType);
  }
  const { scheme, hash } = prepare(algorithm, message, messageType);
  const key = privateKeyObject(spec, privateKey);
  let signature: Uint8Array;
  if (messageType === 'RAW') signature = scheme.signRaw(hash, key, message);
  else if (scheme.signDigest) signature = scheme.signDigest(hash, key, message);
  else throw new InternalError(`prepare() let a DIGEST message through for ${algorithm}, which signs RAW only`);
  // node:crypto and noble give each signature a buffer of its own (no copy then); a pool slice would be copied out.
  return ownBytes(signature);
}

/** `publicKey` is SPKI DER. False for any malformed or non-matching signature; never throws for bad signatures. */
export function verify(
  spec: KeySpecEntry,
  algorithm: SigningAlgorithm,
  publicKey: Uint8Array,
  message: Uint8Array,
  messageType: MessageType,
  signature: Uint8Array,
): boolean {
  checkAlgorithm(spec, algorithm);
  if (!isHashedSigning(algorithm)) return mlDsaVerify(spec, publicKey, message, messageType, signature);
  const { scheme, hash } = prepare(algorithm, message, messageType);
  const key = publicKeyObject(spec, publicKey);
  try {
    return messageType === 'DIGEST'
      ? scheme.verifyDigest?.(hash, key, message, signature) === true
      : scheme.verifyRaw(hash, key, message, signature);
  } catch {
    return false;
  }
}
