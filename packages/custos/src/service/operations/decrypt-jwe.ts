// DecryptJwe: the plaintext of a compact JWE made for the key. RSA-OAEP-256: the CEK is unwrapped in Custos
// (RSAES_OAEP_SHA_256, as Decrypt does); dir: the key version the header names. Every failure, whatever its cause,
// is INVALID_CIPHERTEXT. Must not import api.
import { InvalidCiphertextError, decryptJweOperation } from '@custos/contract';
import { rsaOaepDecrypt } from '../../core/algorithms/rsa.js';
import { jweContentDecrypt, parseJwe, type JweParts } from '../../core/jose/jwe.js';
import { specEntry, type KeySpecEntry } from '../../core/key-specs.js';
import { SecretBytes } from '../../core/secret-bytes.js';
import type { KeyRecord } from '../../store/types.js';
import type { OpContext } from '../context.js';
import { defineOperation } from '../define-operation.js';
import { refuseHsmKey } from '../hsm/keys.js';
import { checkUse, loadKey } from '../key-loading.js';
import { findVersion, latestMaterial, unwrapVersion } from '../key-versions.js';
import { checkMinDecryptionVersion } from '../usage/versions.js';
import { USABLE } from '../lifecycle.js';

/** The CEK bytes A256GCM takes. */
const A256GCM_KEY_BYTES = 32;

async function rsaCek(ctx: OpContext, key: KeyRecord, parts: JweParts): Promise<SecretBytes> {
  if (parts.header.alg !== 'RSA-OAEP-256' || parts.header.enc !== 'A256GCM') throw new InvalidCiphertextError();
  checkUse(ctx, key, 'ENCRYPT_DECRYPT', 'RSAES_OAEP_SHA_256', false);
  const { material } = await latestMaterial(ctx, key);
  let cek: SecretBytes;
  try {
    cek = SecretBytes.adopt(rsaOaepDecrypt('RSAES_OAEP_SHA_256', material, parts.encryptedKey));
  } finally {
    material.wipe();
  }
  if (cek.length !== A256GCM_KEY_BYTES) {
    cek.wipe();
    throw new InvalidCiphertextError();
  }
  return cek;
}

async function dirKey(ctx: OpContext, key: KeyRecord, spec: KeySpecEntry, parts: JweParts): Promise<SecretBytes> {
  const enc = spec.family.joseAlg(spec, 'SYMMETRIC_DEFAULT');
  if (parts.header.alg !== 'dir' || enc === undefined || parts.header.enc !== enc) throw new InvalidCiphertextError();
  // kver names the key version (Custos's JWEs); a JWE made elsewhere with the exported key has none: the latest.
  const kver = parts.header.kver ?? key.latestVersion;
  if (parts.encryptedKey.length !== 0 || typeof kver !== 'number' || !Number.isSafeInteger(kver))
    throw new InvalidCiphertextError();
  checkUse(ctx, key, 'ENCRYPT_DECRYPT', 'SYMMETRIC_DEFAULT', false);
  checkMinDecryptionVersion(key, kver);
  const version = await findVersion(ctx, key, kver);
  if (version === undefined) throw new InvalidCiphertextError();
  ctx.audit.keyVersion = version.version;
  return unwrapVersion(ctx, key, version);
}

export const decryptJwe = defineOperation(
  decryptJweOperation,
  { access: 'use', states: USABLE },
  async (ctx, input) => {
    const key = await loadKey(ctx, ctx.store.db, input.keyId);
    refuseHsmKey(key, 'JWE');
    const spec = specEntry(key.spec);
    const parts = parseJwe(input.jwe);
    if (parts.header.kid !== undefined && parts.header.kid !== key.id) throw new InvalidCiphertextError();
    ctx.audit.details = { alg: typeof parts.header.alg === 'string' ? parts.header.alg : null };
    const cek = spec.family.material === 'pkcs8' ? await rsaCek(ctx, key, parts) : await dirKey(ctx, key, spec, parts);
    try {
      return { plaintext: jweContentDecrypt(cek, parts) };
    } finally {
      cek.wipe(); // the CEK, or this call's copy of the key's material
    }
  },
);
