// RSASSA-PSS and RSASSA-PKCS1-v1_5 (RFC 8017 §8) on node:crypto, RAW and DIGEST. PSS salt = digest length on sign
// and verify (CRYPTO-PITFALLS 5), MGF1 with the message hash, as AWS KMS. Pure; must not import store, service or api.
import { constants, privateEncrypt, publicDecrypt, sign, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import { modulusBytes } from '../key-objects.js';
import type { SignatureScheme, SigningHash } from './signature-scheme.js';
import { DIGEST_BYTES } from './digests.js';
import { emsaPssEncode, emsaPssVerify } from './emsa-pss.js';

/**
 * DER of DigestInfo up to the digest (RFC 8017 §9.2, note 1): fixed constants. Verification compares the whole
 * encoded block, never parses it, so BER variants and trailing data are rejected (Bleichenbacher 2006).
 */
const DIGEST_INFO_PREFIX: Record<SigningHash, Buffer> = {
  sha256: Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  sha384: Buffer.from('3041300d060960864801650304020205000430', 'hex'),
  sha512: Buffer.from('3051300d060960864801650304020305000440', 'hex'),
};

const modulusBits = (key: KeyObject) => key.asymmetricKeyDetails?.modulusLength ?? 0;
/** RFC 8017 §8.1.2 / §8.2.2 step 1: a signature is exactly k bytes. */
const rightLength = (key: KeyObject, signature: Uint8Array) => signature.length === modulusBytes(key);

/** Raw RSA public operation s^e mod n; null when s >= n or OpenSSL refuses. */
function rsaPublic(key: KeyObject, signature: Uint8Array, padding: number): Buffer | null {
  try {
    return publicDecrypt({ key, padding }, signature);
  } catch {
    return null;
  }
}

export const rsaPss: SignatureScheme = {
  signRaw: (hash, key, message) =>
    sign(hash, message, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: DIGEST_BYTES[hash] }),
  verifyRaw: (hash, key, message, signature) =>
    rightLength(key, signature) &&
    verify(hash, message, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: DIGEST_BYTES[hash] }, signature),
  // node has no prehashed PSS: EMSA-PSS-ENCODE over the digest (emsa-pss.ts), then RSASP1 in OpenSSL (blinded).
  signDigest: (hash, key, digest) =>
    privateEncrypt(
      { key, padding: constants.RSA_NO_PADDING },
      emsaPssEncode(hash, digest, modulusBits(key), modulusBytes(key)),
    ),
  verifyDigest: (hash, key, digest, signature) => {
    if (!rightLength(key, signature)) return false;
    const em = rsaPublic(key, signature, constants.RSA_NO_PADDING);
    return em !== null && emsaPssVerify(hash, digest, em, modulusBits(key));
  },
};

export const rsaPkcs1: SignatureScheme = {
  signRaw: (hash, key, message) => sign(hash, message, { key, padding: constants.RSA_PKCS1_PADDING }),
  verifyRaw: (hash, key, message, signature) =>
    rightLength(key, signature) && verify(hash, message, { key, padding: constants.RSA_PKCS1_PADDING }, signature),
  // EMSA-PKCS1-v1_5 (§9.2): OpenSSL adds the 00 01 FF.. 00 block-type-1 padding around DigestInfo || digest.
  signDigest: (hash, key, digest) =>
    privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([DIGEST_INFO_PREFIX[hash], digest])),
  verifyDigest: (hash, key, digest, signature) => {
    if (!rightLength(key, signature)) return false;
    const recovered = rsaPublic(key, signature, constants.RSA_PKCS1_PADDING);
    const expected = Buffer.concat([DIGEST_INFO_PREFIX[hash], digest]);
    return recovered !== null && recovered.length === expected.length && timingSafeEqual(recovered, expected);
  },
};
