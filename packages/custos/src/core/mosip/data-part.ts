// The AES-256-GCM data part of a MOSIP 1.2 hybrid ciphertext, in its three layouts (CryptomanagerServiceImpl
// generateAadAndEncryptData / splitAadAndDecryptData, CryptoCore.symmetricEncrypt/Decrypt). MOSIP's interoperability
// needs caller-chosen (salt) and 16-byte IVs, unlike Custos's own blobs (CRYPTO-PITFALLS 2): this module is the only
// place that takes them. Pure; must not import store, keystore, service or api.
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { InvalidCiphertextError, ValidationError } from '@custos/contract';
import { ownBytes } from '../own-bytes.js';
import { exposeSecret, type SecretBytes } from '../secret-bytes.js';
import {
  BLOCK_IV_BYTES,
  GCM_AAD_BYTES,
  GCM_NONCE_BYTES,
  GCM_TAG_BYTES,
  SALT_MAX_BYTES,
  SALT_MIN_BYTES,
  SESSION_KEY_BYTES,
} from './constants.js';

/** The request's optional inputs; empty arrays count as absent, as MOSIP's `isDataValid` does. */
export interface DataPartOptions {
  readonly aad?: Uint8Array | undefined;
  readonly salt?: Uint8Array | undefined;
}

/** Randomness (injectable for golden vectors): n fresh bytes. */
export type RandomBytes = (n: number) => Uint8Array;

const present = (b: Uint8Array | undefined): b is Uint8Array => b !== undefined && b.length > 0;

function checkKey(key: SecretBytes): void {
  if (key.length !== SESSION_KEY_BYTES) throw new InvalidCiphertextError();
}

function checkSalt(salt: Uint8Array): void {
  if (salt.length < SALT_MIN_BYTES || salt.length > SALT_MAX_BYTES)
    throw new ValidationError(`salt must be ${SALT_MIN_BYTES} to ${SALT_MAX_BYTES} bytes`, 'VALIDATION_ERROR');
}

function gcmSeal(key: SecretBytes, iv: Uint8Array, aad: Uint8Array | null, data: Uint8Array): Buffer {
  const cipher = createCipheriv('aes-256-gcm', exposeSecret(key), iv, { authTagLength: GCM_TAG_BYTES });
  if (aad !== null) cipher.setAAD(aad);
  return Buffer.concat([cipher.update(data), cipher.final(), cipher.getAuthTag()]);
}

/** ct ‖ tag16 under `iv`; the plaintext is released only after final() has checked the tag (CRYPTO-PITFALLS 1). */
function gcmOpen(key: SecretBytes, iv: Uint8Array, aad: Uint8Array | null, sealed: Uint8Array): Uint8Array {
  if (sealed.length < GCM_TAG_BYTES) throw new InvalidCiphertextError();
  let out: Buffer | undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', exposeSecret(key), iv, { authTagLength: GCM_TAG_BYTES });
    if (aad !== null) decipher.setAAD(aad);
    decipher.setAuthTag(sealed.subarray(sealed.length - GCM_TAG_BYTES));
    out = decipher.update(sealed.subarray(0, sealed.length - GCM_TAG_BYTES));
    decipher.final();
  } catch (cause) {
    out?.fill(0);
    throw new InvalidCiphertextError({ cause });
  }
  const plaintext = ownBytes(out);
  if (plaintext.buffer !== out.buffer) out.fill(0);
  return plaintext;
}

/**
 * Encrypts `data` under the session key: (a) no salt, no aad → `versioned`, A(32) ‖ ct ‖ tag with nonce A[0..12) and
 * AAD A; (b) aad only → ct ‖ tag ‖ IV16; (c) salt → ct ‖ tag with IV = salt (not stored), AAD = aad if any.
 * @example const { versioned, dataPart } = sealDataPart(key, data, { aad }, randomBytes);
 */
export function sealDataPart(
  key: SecretBytes,
  data: Uint8Array,
  options: DataPartOptions,
  random: RandomBytes,
): { versioned: boolean; dataPart: Uint8Array } {
  if (key.length !== SESSION_KEY_BYTES)
    throw new ValidationError('the session key must be 32 bytes', 'VALIDATION_ERROR');
  const aad = present(options.aad) ? options.aad : null;
  if (present(options.salt)) {
    checkSalt(options.salt);
    return { versioned: false, dataPart: ownBytes(gcmSeal(key, options.salt, aad, data)) };
  }
  if (aad !== null) {
    const iv = random(BLOCK_IV_BYTES);
    return { versioned: false, dataPart: ownBytes(Buffer.concat([gcmSeal(key, iv, aad, data), iv])) };
  }
  const a = random(GCM_AAD_BYTES);
  const sealed = gcmSeal(key, a.subarray(0, GCM_NONCE_BYTES), a, data);
  return { versioned: true, dataPart: ownBytes(Buffer.concat([a, sealed])) };
}

/**
 * Decrypts a data part with the unwrapped session key: `versioned` → layout (a); else a salt → (c); else (b) with
 * the IV in the last 16 bytes. INVALID_CIPHERTEXT for a wrong key, tag, aad or salt, or a truncated part.
 * @example const plaintext = openDataPart(key, parts.dataPart, { versioned: parts.versioned, aad, salt });
 */
export function openDataPart(
  key: SecretBytes,
  dataPart: Uint8Array,
  options: DataPartOptions & { readonly versioned: boolean },
): Uint8Array {
  checkKey(key);
  if (options.versioned) {
    if (dataPart.length < GCM_AAD_BYTES + GCM_TAG_BYTES) throw new InvalidCiphertextError();
    const a = dataPart.subarray(0, GCM_AAD_BYTES);
    return gcmOpen(key, a.subarray(0, GCM_NONCE_BYTES), a, dataPart.subarray(GCM_AAD_BYTES));
  }
  const aad = present(options.aad) ? options.aad : null;
  if (present(options.salt)) {
    checkSalt(options.salt);
    return gcmOpen(key, options.salt, aad, dataPart);
  }
  if (dataPart.length < BLOCK_IV_BYTES + GCM_TAG_BYTES) throw new InvalidCiphertextError();
  const iv = dataPart.subarray(dataPart.length - BLOCK_IV_BYTES);
  return gcmOpen(key, iv, aad, dataPart.subarray(0, dataPart.length - BLOCK_IV_BYTES));
}
