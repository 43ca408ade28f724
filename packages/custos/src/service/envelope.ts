// Encryption and decryption with a key, whatever its kind: AES-GCM into the self-describing blob (counted per
// version, rotated before the GCM bound), or RSA-OAEP (raw, as AWS returns it). Shared by Encrypt, Decrypt,
// ReEncrypt and the data-key operations. Must not import api.
import {
  InvalidCiphertextError,
  LimitExceededError,
  ValidationError,
  type EncryptionAlgorithm,
} from '@custos/contract';
import { aesGcmDecrypt, aesGcmEncrypt } from '../core/algorithms/aes-gcm.js';
import { rsaOaepDecrypt, rsaOaepEncrypt } from '../core/algorithms/rsa.js';
import { ciphertextAad, decodeCiphertext, encodeCiphertext } from '../core/ciphertext/index.js';
import { specEntry } from '../core/key-specs.js';
import type { KeyRecord } from '../store/types.js';
import type { OpContext } from './context.js';
import { requirePublicKey } from './require-public-key.js';
import { admitKey, cachedKey, checkUse, countUse, findKey, loadKey } from './key-loading.js';
import {
  cachedMaterial,
  findVersion,
  getVersion,
  latestMaterial,
  latestVersion,
  unwrapVersion,
} from './key-versions.js';
import { hsmGcmDecrypt, hsmGcmEncrypt, hsmOaepDecrypt } from './hsm/crypto.js';
import { isHsmKey } from './hsm/keys.js';
import { rotateKey, whyNotRotatable } from './rotation.js';
import { checkMinDecryptionVersion } from './usage/versions.js';

export type Context = Record<string, string> | undefined;

/** How many bound-driven rotations one encryption may go through before giving up (only under extreme concurrency). */
const MAX_BOUND_ROTATIONS = 32;

/** Encrypts under `key` (already loaded for an encrypting operation); returns the blob. */
export async function encryptWithKey(
  ctx: OpContext,
  key: KeyRecord,
  plaintext: Uint8Array,
  context: Context,
  algorithm: EncryptionAlgorithm,
): Promise<Uint8Array> {
  checkUse(ctx, key, 'ENCRYPT_DECRYPT', algorithm, true);
  if (algorithm !== 'SYMMETRIC_DEFAULT') {
    if (context && Object.keys(context).length > 0)
      throw new ValidationError('asymmetric keys take no encryption context');
    const version = await getVersion(ctx, key, key.latestVersion);
    ctx.audit.keyVersion = version.version;
    // Counted only once the request has proved valid (a plaintext too long for OAEP is refused, not a use).
    const ciphertext = rsaOaepEncrypt(
      algorithm,
      requirePublicKey(version.publicKey, `version ${version.version} of ${key.id}`),
      plaintext,
    );
    await countUse(ctx, key);
    return ciphertext;
  }
  await countUse(ctx, key);
  let current = key;
  for (let attempt = 0; ; attempt++) {
    // HSM-protected keys: the version only; the AES-GCM step runs in the token.
    const { version, material } = isHsmKey(current)
      ? { version: await latestVersion(ctx, current), material: undefined }
      : await latestMaterial(ctx, current);
    const count = await ctx.counters.next(ctx.store.db, current.id, version.version, version.encryptionCount);
    if (count > ctx.config.maxEncryptionsPerVersion) {
      // SP 800-38D 8.3: bound random-IV encryptions per key; rotate and encrypt under the new version. Concurrent
      // encryptions may use up the new version too, so check again (each pass sees a strictly newer version).
      material?.wipe();
      if (attempt >= MAX_BOUND_ROTATIONS)
        throw new LimitExceededError('the key is rotating faster than it can be used; retry');
      // Imported material cannot rotate: the bound is a hard limit (encrypt under a new key), not an UNSUPPORTED call.
      if (whyNotRotatable(current))
        throw new LimitExceededError(
          'the key has reached its encryption bound and, with imported material, cannot rotate',
        );
      current = await rotateKey(ctx, current.id, 'AUTOMATIC', current.latestVersion);
      continue;
    }
    try {
      const header = { keyId: current.id, version: version.version };
      const aad = ciphertextAad(header, context);
      const { iv, ciphertext, tag } = material
        ? aesGcmEncrypt(material, plaintext, aad)
        : await hsmGcmEncrypt(ctx, version, plaintext, aad);
      return encodeCiphertext({ keyId: header.keyId, version: header.version, iv, ciphertext, tag });
    } finally {
      material?.wipe();
    }
  }
}

export interface Decrypted {
  readonly key: KeyRecord;
  readonly plaintext: Uint8Array;
  readonly algorithm: EncryptionAlgorithm;
}

/**
 * Decrypts a blob. Symmetric blobs name their key and version; `keyId`, when given, must name the same key
 * (IncorrectKeyException otherwise, as AWS). RSA ciphertexts need `keyId` and the algorithm.
 */
export async function decryptBlob(
  ctx: OpContext,
  blob: Uint8Array,
  context: Context,
  keyId: string | undefined,
  algorithm: EncryptionAlgorithm | undefined,
): Promise<Decrypted> {
  const requested = keyId ? await loadKey(ctx, ctx.store.db, keyId) : undefined;
  if ((algorithm ?? 'SYMMETRIC_DEFAULT') !== 'SYMMETRIC_DEFAULT') {
    if (!requested) throw new ValidationError('decrypting with an asymmetric key needs its keyId');
    const alg = algorithm as Exclude<EncryptionAlgorithm, 'SYMMETRIC_DEFAULT'>;
    checkUse(ctx, requested, 'ENCRYPT_DECRYPT', alg, false);
    await countUse(ctx, requested);
    if (isHsmKey(requested)) {
      const version = await latestVersion(ctx, requested);
      return { key: requested, plaintext: await hsmOaepDecrypt(ctx, version, alg, blob), algorithm: alg };
    }
    const { material } = await latestMaterial(ctx, requested);
    try {
      return { key: requested, plaintext: rsaOaepDecrypt(alg, material, blob), algorithm: alg };
    } finally {
      material.wipe();
    }
  }
  const parsed = decodeCiphertext(blob);
  const key = requested ?? (await findKeyForBlob(ctx, parsed.keyId));
  if (requested && requested.id !== parsed.keyId) {
    throw new ValidationError('the ciphertext was not encrypted under the specified key', 'INCORRECT_KEY');
  }
  checkUse(ctx, key, 'ENCRYPT_DECRYPT', 'SYMMETRIC_DEFAULT', false);
  checkMinDecryptionVersion(key, parsed.version);
  const version = ctx.cache.version(key.id, parsed.version) ?? (await findVersion(ctx, key, parsed.version));
  if (!version) throw new InvalidCiphertextError();
  ctx.audit.keyVersion = version.version;
  await countUse(ctx, key);
  if (isHsmKey(key)) {
    const plaintext = await hsmGcmDecrypt(ctx, version, parsed, ciphertextAad(parsed, context));
    return { key, plaintext, algorithm: 'SYMMETRIC_DEFAULT' };
  }
  const material = cachedMaterial(ctx, key, version) ?? (await unwrapVersion(ctx, key, version));
  try {
    return {
      key,
      plaintext: aesGcmDecrypt(material, parsed, ciphertextAad(parsed, context)),
      algorithm: 'SYMMETRIC_DEFAULT',
    };
  } finally {
    material.wipe();
  }
}

/**
 * A blob naming a key that does not exist, or a key that cannot hold symmetric blobs (HMAC, RSA, a DERIVE_KEY
 * key), is an invalid ciphertext, not a lookup or usage error: tampered blobs get one generic error (DESIGN).
 */
async function findKeyForBlob(ctx: OpContext, keyId: string): Promise<KeyRecord> {
  let key: KeyRecord;
  try {
    key = cachedKey(ctx, keyId) ?? (await findKey(ctx, ctx.store.db, keyId, true));
  } catch {
    throw new InvalidCiphertextError();
  }
  if (key.usage !== 'ENCRYPT_DECRYPT' || !specEntry(key.spec).encryption.includes('SYMMETRIC_DEFAULT'))
    throw new InvalidCiphertextError();
  return admitKey(ctx, key);
}
