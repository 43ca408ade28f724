// The second level of wrapping of keyring Base keys (DESIGN: "two levels of wrapping"): a Base key's PKCS#8 is sealed
// under its Module key, as MOSIP's KeymanagerUtil.encryptKey does — a fresh AES-256 key wrapped with RSA-OAEP for the
// Module key's public key, the PKCS#8 sealed with AES-256-GCM under it — and that blob is then wrapped under the root
// of trust like every version's material. Pure; must not import store, keystore, service or api.
//
// Format, version 1 (a released format is never edited):
//   0x01 ‖ oaep (0x01 = SHA-256, 0x02 = SHA-1) ‖ u16 BE length n ‖ RSA-OAEP(module public key, aesKey) (n bytes)
//        ‖ iv (12) ‖ tag (16) ‖ AES-256-GCM(aesKey, iv, aad).ciphertext
// SHA-1 is there for Module keys in a PKCS#11 token: SoftHSM2 does RSA-OAEP with SHA-1 only (shared/specs/pkcs11.md).
import { InvalidCiphertextError } from '@custos/contract';
import { aesGcmDecrypt, aesGcmEncrypt, GCM_IV_BYTES, GCM_TAG_BYTES } from '../algorithms/aes-gcm.js';
import { rsaOaepEncrypt } from '../algorithms/rsa.js';
import { ownBytes } from '../own-bytes.js';
import { exposeSecret, SecretBytes } from '../secret-bytes.js';

/** The RSA-OAEP algorithm the AES key is wrapped with. */
export type ModuleWrapAlgorithm = 'RSAES_OAEP_SHA_256' | 'RSAES_OAEP_SHA_1';

const FORMAT = 0x01;
const ALGORITHM_BYTE: Record<ModuleWrapAlgorithm, number> = { RSAES_OAEP_SHA_256: 0x01, RSAES_OAEP_SHA_1: 0x02 };
const HEADER_BYTES = 4;

/** A parsed module-wrapped blob: the RSA part for the Module key, and the sealed PKCS#8. */
export interface ModuleWrapped {
  readonly algorithm: ModuleWrapAlgorithm;
  readonly wrappedKey: Uint8Array;
  readonly sealed: { readonly iv: Uint8Array; readonly tag: Uint8Array; readonly ciphertext: Uint8Array };
}

/** The AAD binding a Base key's sealed material to its key, version and Module key. */
export function moduleWrapAad(keyId: string, version: number, moduleKeyId: string): Uint8Array {
  return new TextEncoder().encode(`custos/keyring-base/v1\n${keyId}\n${version}\n${moduleKeyId}`);
}

/**
 * Seals `material` for the Module key whose SPKI is `modulePublicKey`; `material` is not wiped (the caller's).
 * @example const inner = wrapUnderModuleKey(moduleSpki, 'RSAES_OAEP_SHA_256', pkcs8, moduleWrapAad(id, 1, moduleId));
 */
export function wrapUnderModuleKey(
  modulePublicKey: Uint8Array,
  algorithm: ModuleWrapAlgorithm,
  material: SecretBytes,
  aad: Uint8Array,
): Uint8Array {
  const aesKey = SecretBytes.random(32);
  try {
    const sealed = aesGcmEncrypt(aesKey, exposeSecret(material), aad);
    const wrappedKey = rsaOaepEncrypt(algorithm, modulePublicKey, exposeSecret(aesKey));
    const header = Buffer.alloc(HEADER_BYTES);
    header.writeUInt8(FORMAT, 0);
    header.writeUInt8(ALGORITHM_BYTE[algorithm], 1);
    header.writeUInt16BE(wrappedKey.length, 2);
    return ownBytes(Buffer.concat([header, wrappedKey, sealed.iv, sealed.tag, sealed.ciphertext]));
  } finally {
    aesKey.wipe();
  }
}

/** Parses a module-wrapped blob; INVALID_CIPHERTEXT when it is not one. */
export function parseModuleWrapped(blob: Uint8Array): ModuleWrapped {
  const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (bytes.length < HEADER_BYTES || bytes.readUInt8(0) !== FORMAT) throw new InvalidCiphertextError();
  const algorithm = (Object.keys(ALGORITHM_BYTE) as ModuleWrapAlgorithm[]).find(
    (a) => ALGORITHM_BYTE[a] === bytes.readUInt8(1),
  );
  const n = bytes.readUInt16BE(2);
  const ivAt = HEADER_BYTES + n;
  if (algorithm === undefined || bytes.length <= ivAt + GCM_IV_BYTES + GCM_TAG_BYTES)
    throw new InvalidCiphertextError();
  return {
    algorithm,
    wrappedKey: blob.subarray(HEADER_BYTES, ivAt),
    sealed: {
      iv: blob.subarray(ivAt, ivAt + GCM_IV_BYTES),
      tag: blob.subarray(ivAt + GCM_IV_BYTES, ivAt + GCM_IV_BYTES + GCM_TAG_BYTES),
      ciphertext: blob.subarray(ivAt + GCM_IV_BYTES + GCM_TAG_BYTES),
    },
  };
}

/** Opens the sealed PKCS#8 with the AES key the Module key unwrapped (wiped here); INVALID_CIPHERTEXT on any failure. */
export function openModuleWrapped(parts: ModuleWrapped, aesKey: SecretBytes, aad: Uint8Array): SecretBytes {
  try {
    return SecretBytes.adopt(aesGcmDecrypt(aesKey, parts.sealed, aad));
  } finally {
    aesKey.wipe();
  }
}
