// MOSIP hybrid encryption with a keyring (cryptomanager encrypt/decrypt): the byte format is core/mosip's; here the
// keyring's certificate is chosen for encryption (its current Base key, generated on first use, or the partner
// certificate uploaded for it), and for decryption the private key the thumbprint names among every generation.
// Must not import api.
import {
  NotFoundError,
  ValidationError,
  type KeyringDecryptRequest,
  type KeyringEncryptRequest,
} from '@custos/contract';
import { rsaOaepDecrypt } from '../../core/algorithms/rsa.js';
import { mosipDecrypt } from '../../core/mosip/hybrid-decrypt.js';
import { mosipEncrypt } from '../../core/mosip/hybrid-encrypt.js';
import { SecretBytes } from '../../core/secret-bytes.js';
import * as repo from '../../store/repositories/index.js';
import type { KeyRecord } from '../../store/types.js';
import type { OpContext } from '../context.js';
import { hsmOaepDecrypt } from '../hsm/crypto.js';
import { countUse } from '../key-loading.js';
import { getVersion, unwrapVersion } from '../key-versions.js';
import { assertStateAllows, USABLE } from '../lifecycle.js';
import { admitRing } from './access.js';
import { currentGeneration } from './current.js';
import { ensureLevel } from './generate.js';
import { isMasterForEncryption, levelOf, ringOf, validityPolicy, type Ring } from './rings.js';

/** MOSIP bytes of `input.data` for the keyring's current certificate. */
export async function keyringEncrypt(ctx: OpContext, input: KeyringEncryptRequest): Promise<Uint8Array> {
  const ring = ringOf(input);
  await admitRing(ctx, ring);
  if (isMasterForEncryption(ring))
    throw new ValidationError(
      'encryption with a master key is not allowed: give the reference id of a Base key',
      'KEYRING_MASTER_KEY_USE',
    );
  const { preExpireDays } = await validityPolicy(ctx.store.db, ring);
  const current =
    (await currentGeneration(ctx.store.db, ring, ['BASE', 'PARTNER'], preExpireDays, ctx.now())) ??
    (await ensureLevel(ctx, ring));
  const { entry, key } = current;
  if (entry.certificate === null) throw new NotFoundError('the keyring has no certificate', 'KEYRING_KEY_NOT_FOUND');
  ctx.audit.keyId = key?.id ?? null;
  ctx.audit.details = { ...ctx.audit.details, thumbprint: entry.thumbprint };
  const ciphertext = mosipEncrypt(entry.certificate, input.data, { aad: input.aad, salt: input.salt });
  if (key) await countUse(ctx, key);
  return ciphertext;
}

/** The plaintext of MOSIP bytes made for one of the keyring's certificates. */
export async function keyringDecrypt(ctx: OpContext, input: KeyringDecryptRequest): Promise<Uint8Array> {
  const ring = ringOf(input);
  await admitRing(ctx, ring);
  return mosipDecrypt(input.ciphertext, { aad: input.aad, salt: input.salt }, async (thumbprint, encryptedKey) => {
    const key = thumbprint ? await keyByThumbprint(ctx, ring, thumbprint) : await currentKey(ctx, ring);
    return SecretBytes.adopt(await decryptSessionKey(ctx, key, encryptedKey));
  });
}

const noKey = (what: string) => new NotFoundError(`no key of the keyring ${what}`, 'KEYRING_KEY_NOT_FOUND');

async function keyByThumbprint(ctx: OpContext, ring: Ring, thumbprint: Uint8Array): Promise<KeyRecord> {
  const hex = Buffer.from(thumbprint).toString('hex').toUpperCase();
  const entries = await repo.keyringKeys.byThumbprint(ctx.store.db, ring.applicationId, ring.referenceId, hex);
  const keyId = entries.find((e) => e.keyId !== null)?.keyId;
  const key = keyId ? await repo.keys.get(ctx.store.db, keyId) : undefined;
  if (!key) throw noKey(`has the certificate thumbprint ${hex}`);
  ctx.audit.details = { ...ctx.audit.details, thumbprint: hex };
  return key;
}

/** The no-thumbprint forms (MOSIP 1.2.0 with 113nothumbprint.support): the current key of the ring's own level. */
async function currentKey(ctx: OpContext, ring: Ring): Promise<KeyRecord> {
  const { preExpireDays } = await validityPolicy(ctx.store.db, ring);
  const current = await currentGeneration(ctx.store.db, ring, [levelOf(ring)], preExpireDays, ctx.now());
  if (!current?.key) throw noKey('is current');
  return current.key;
}

/** RSA-OAEP (SHA-256, MGF1-SHA-256) decryption of the session key with the key's private key. */
async function decryptSessionKey(ctx: OpContext, key: KeyRecord, encryptedKey: Uint8Array): Promise<Uint8Array> {
  ctx.audit.keyId = key.id;
  assertStateAllows({ name: 'KeyringDecrypt', access: 'use', states: USABLE }, key.state);
  const version = await getVersion(ctx, key, 1);
  ctx.audit.keyVersion = 1;
  await countUse(ctx, key);
  if (key.protectionLevel === 'HSM') return hsmOaepDecrypt(ctx, version, 'RSAES_OAEP_SHA_256', encryptedKey);
  const material = await unwrapVersion(ctx, key, version);
  try {
    return rsaOaepDecrypt('RSAES_OAEP_SHA_256', material, encryptedKey);
  } finally {
    material.wipe();
  }
}
