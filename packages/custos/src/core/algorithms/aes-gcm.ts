// AES-GCM with 96-bit random IVs and 128-bit tags (CRYPTO-PITFALLS 1, 2). Pure; no I/O.
// Must not import store, keystore, service or api.
import { createCipheriv, createDecipheriv, randomFillSync, type CipherGCMTypes } from 'node:crypto';
import { InternalError, InvalidCiphertextError } from '@custos/contract';
import { ownBytes } from '../own-bytes.js';
import { exposeSecret, type SecretBytes } from '../secret-bytes.js';

/** NIST SP 800-38D §8.2.2: random IVs are 96 bits; §5.2.1.2: we use only the full 128-bit tag. */
export const GCM_IV_BYTES = 12;
export const GCM_TAG_BYTES = 16;

const CIPHER_BY_KEY_BYTES: Readonly<Record<number, CipherGCMTypes>> = {
  16: 'aes-128-gcm',
  24: 'aes-192-gcm',
  32: 'aes-256-gcm',
};

export interface GcmSealed {
  readonly iv: Uint8Array; // 12 bytes, random
  readonly ciphertext: Uint8Array;
  readonly tag: Uint8Array; // 16 bytes
}

/**
 * IVs are cut from a buffer of CSPRNG output that is refilled once used up (as Node's randomUUID does): one
 * getrandom call per 256 IVs instead of one per encryption. Each IV is handed out once, and the buffer holds no
 * secret (IVs travel in the clear).
 */
const ivPool = Buffer.alloc(GCM_IV_BYTES * 256);
let ivAt = ivPool.length;

function freshIv(): Uint8Array {
  if (ivAt === ivPool.length) {
    randomFillSync(ivPool);
    ivAt = 0;
  }
  const iv = ivPool.subarray(ivAt, ivAt + GCM_IV_BYTES);
  ivAt += GCM_IV_BYTES;
  return new Uint8Array(iv); // a copy of its own
}

/**
 * Encrypts with a fresh random 12-byte IV. Key must be 16, 24 or 32 bytes. No API takes a caller's IV.
 * @example const sealed = aesGcmEncrypt(SecretBytes.random(32), plaintext, aad);
 */
export function aesGcmEncrypt(key: SecretBytes, plaintext: Uint8Array, aad: Uint8Array): GcmSealed {
  const cipherName = CIPHER_BY_KEY_BYTES[key.length];
  // A wrong key length is a programming error (specs fix the length), not a bad ciphertext.
  if (cipherName === undefined) throw new InternalError(`AES-GCM key must be 16, 24 or 32 bytes, got ${key.length}`);
  const iv = freshIv();
  const cipher = createCipheriv(cipherName, exposeSecret(key), iv, { authTagLength: GCM_TAG_BYTES });
  cipher.setAAD(aad);
  const body = cipher.update(plaintext);
  const last = cipher.final(); // empty for GCM, which is a stream mode
  return {
    iv,
    ciphertext: ownBytes(last.length > 0 ? Buffer.concat([body, last]) : body),
    tag: new Uint8Array(cipher.getAuthTag()),
  };
}

/**
 * Decrypts; throws InvalidCiphertextError on any failure (wrong IV/tag length, bad tag, wrong key or AAD).
 * Plaintext is released only after the tag has been checked.
 * @example const plaintext = aesGcmDecrypt(key, sealed, aad);
 */
export function aesGcmDecrypt(key: SecretBytes, sealed: GcmSealed, aad: Uint8Array): Uint8Array {
  const cipherName = CIPHER_BY_KEY_BYTES[key.length];
  if (cipherName === undefined || sealed.iv.length !== GCM_IV_BYTES || sealed.tag.length !== GCM_TAG_BYTES) {
    throw new InvalidCiphertextError();
  }
  let out: Buffer | undefined;
  try {
    // authTagLength pins the tag size: without it OpenSSL accepts a 4-byte tag (CRYPTO-PITFALLS 1).
    const decipher = createDecipheriv(cipherName, exposeSecret(key), sealed.iv, { authTagLength: GCM_TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.tag);
    out = decipher.update(sealed.ciphertext);
    const last = decipher.final(); // throws on a bad tag; `out` is not released before this returns
    if (last.length > 0) {
      const partial = out;
      out = Buffer.concat([partial, last]);
      partial.fill(0);
    }
  } catch (cause) {
    out?.fill(0); // unauthenticated plaintext from update() never leaves this function
    throw new InvalidCiphertextError({ cause });
  }
  // A buffer of its own (update() allocates one; a slice of Node's shared pool is copied out and cleared), so the
  // caller may wipe it.
  const plaintext = ownBytes(out);
  if (plaintext.buffer !== out.buffer) out.fill(0);
  return plaintext;
}
