// Compact JWE (RFC 7516 §7.1) for the jwk facade: `dir` + A*GCM with a symmetric key and RSA-OAEP-256 + A256GCM with
// an RSA key. The content encryption is core's AES-GCM (96-bit random IV, 128-bit tag) and the CEK unwrap core's
// RSAES_OAEP_SHA_256, so key material never leaves Custos; jose encodes, parses and, for RSA-OAEP-256, encrypts to
// the public key. Pure; must not import store, service or api.
import type { KeyObject } from 'node:crypto';
import { CompactEncrypt, base64url } from 'jose';
import { InvalidCiphertextError } from '@custos/contract';
import { aesGcmDecrypt, aesGcmEncrypt } from '../algorithms/aes-gcm.js';
import type { SecretBytes } from '../secret-bytes.js';

/** The parts of a compact JWE; the encoded header is the AAD (RFC 7516 §5.1 step 14). */
export interface JweParts {
  readonly header: Readonly<Record<string, unknown>>;
  readonly encodedHeader: string;
  readonly encryptedKey: Uint8Array;
  readonly iv: Uint8Array;
  readonly ciphertext: Uint8Array;
  readonly tag: Uint8Array;
}

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);

/**
 * `dir` encryption with the key itself as the CEK; `header` carries alg, enc, kid and the key version.
 * @example dirEncrypt(material, { alg: 'dir', enc: 'A256GCM', kid, kver: 1 }, plaintext)
 */
export function dirEncrypt(key: SecretBytes, header: Readonly<Record<string, unknown>>, plaintext: Uint8Array): string {
  const encodedHeader = base64url.encode(JSON.stringify(header));
  const sealed = aesGcmEncrypt(key, plaintext, ascii(encodedHeader));
  return [encodedHeader, '', sealed.iv, sealed.ciphertext, sealed.tag]
    .map((part) => (typeof part === 'string' ? part : base64url.encode(part)))
    .join('.');
}

/** RSA-OAEP-256 + A256GCM to an RSA public key (jose makes the CEK and IV). */
export function rsaOaepEncryptJwe(publicKey: KeyObject, kid: string, plaintext: Uint8Array): Promise<string> {
  return new CompactEncrypt(plaintext)
    .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid })
    .encrypt(publicKey);
}

/** The parts of a compact JWE; INVALID_CIPHERTEXT when it is not one, or names `zip` or `crit` (not supported). */
export function parseJwe(jwe: string): JweParts {
  const parts = jwe.split('.');
  if (parts.length !== 5) throw new InvalidCiphertextError();
  const [encodedHeader = '', encryptedKey = '', iv = '', ciphertext = '', tag = ''] = parts;
  try {
    const header: unknown = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(base64url.decode(encodedHeader)),
    );
    if (header === null || typeof header !== 'object' || Array.isArray(header)) throw new InvalidCiphertextError();
    if ('zip' in header || 'crit' in header) throw new InvalidCiphertextError();
    return {
      header: header as Record<string, unknown>,
      encodedHeader,
      encryptedKey: base64url.decode(encryptedKey),
      iv: base64url.decode(iv),
      ciphertext: base64url.decode(ciphertext),
      tag: base64url.decode(tag),
    };
  } catch (cause) {
    throw new InvalidCiphertextError({ cause });
  }
}

/** The plaintext under `cek` (AES-GCM, the encoded header as AAD); INVALID_CIPHERTEXT on any failure. */
export function jweContentDecrypt(cek: SecretBytes, parts: JweParts): Uint8Array {
  return aesGcmDecrypt(cek, { iv: parts.iv, ciphertext: parts.ciphertext, tag: parts.tag }, ascii(parts.encodedHeader));
}
