// The outer layout of a MOSIP 1.2 hybrid ciphertext: KEYPART ‖ "#KEY_SPLITTER#" ‖ DATAPART, where
// KEYPART = ["VER_R2"] ‖ [SHA-256 thumbprint] ‖ RSA-OAEP(session key) (CryptomanagerServiceImpl.encrypt/decrypt).
// Pure; must not import store, keystore, service or api.
import { InvalidCiphertextError } from '@custos/contract';
import { ownBytes } from '../own-bytes.js';
import { ENCRYPTED_SESSION_KEY_BYTES, KEY_SPLITTER, THUMBPRINT_BYTES, VER_R2 } from './constants.js';

/** A parsed MOSIP hybrid ciphertext. The byte fields are views of the input. */
export interface MosipHybridParts {
  /** The `VER_R2` header was present: the data part is layout (a). */
  readonly versioned: boolean;
  /** The certificate's SHA-256 thumbprint, or null for release 1.2.0's forms without one. */
  readonly thumbprint: Uint8Array | null;
  /** The RSA-OAEP ciphertext of the AES-256 session key. */
  readonly encryptedKey: Uint8Array;
  /** The AES-GCM part, decrypted by `openDataPart` once the session key is unwrapped. */
  readonly dataPart: Uint8Array;
}

/** The index of the first `#KEY_SPLITTER#`, scanning from 0 (CryptoUtil.getSplitterIndex), or -1. */
function splitterIndex(bytes: Uint8Array): number {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(KEY_SPLITTER);
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

/**
 * Splits MOSIP bytes (already base64-decoded) at the FIRST splitter; strips `VER_R2`; a remaining key part of exactly
 * 32 + 256 bytes carries a thumbprint, any other length is the session key alone. INVALID_CIPHERTEXT when there is no
 * splitter, no session key or no data part.
 * @example const { thumbprint, encryptedKey, dataPart, versioned } = parseMosipCiphertext(bytes);
 */
export function parseMosipCiphertext(bytes: Uint8Array): MosipHybridParts {
  const at = splitterIndex(bytes);
  if (at < 0) throw new InvalidCiphertextError();
  let keyPart = bytes.subarray(0, at);
  const dataPart = bytes.subarray(at + KEY_SPLITTER.length);
  const versioned = startsWith(keyPart, VER_R2);
  if (versioned) keyPart = keyPart.subarray(VER_R2.length);
  const withThumbprint = keyPart.length === THUMBPRINT_BYTES + ENCRYPTED_SESSION_KEY_BYTES;
  const thumbprint = withThumbprint ? keyPart.subarray(0, THUMBPRINT_BYTES) : null;
  const encryptedKey = withThumbprint ? keyPart.subarray(THUMBPRINT_BYTES) : keyPart;
  if (encryptedKey.length === 0 || dataPart.length === 0) throw new InvalidCiphertextError();
  return { versioned, thumbprint, encryptedKey, dataPart };
}

/**
 * Joins the parts into MOSIP bytes (the inverse of `parseMosipCiphertext`).
 * @example assembleMosipCiphertext({ versioned: true, thumbprint, encryptedKey, dataPart })
 */
export function assembleMosipCiphertext(parts: MosipHybridParts): Uint8Array {
  const pieces = [
    ...(parts.versioned ? [VER_R2] : []),
    ...(parts.thumbprint === null ? [] : [parts.thumbprint]),
    parts.encryptedKey,
    KEY_SPLITTER,
    parts.dataPart,
  ];
  return ownBytes(Buffer.concat(pieces));
}
