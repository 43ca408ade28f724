// The key pairs of a keyring's levels: made in the root's PKCS#11 token (ROOT and Module keys with a PKCS#11 root) or
// in software (wrapped under the root of trust, and for a Base key first sealed under its Module key), each with a
// certificate signer; and the signer of a keyring key that exists. Must not import api.
import type { CertificateSigner } from '../../core/certificates/signer.js';
import { sign } from '../../core/algorithms/signature.js';
import { moduleWrapAad, wrapUnderModuleKey } from '../../core/keyrings/module-wrap.js';
import { generateKeyMaterial } from '../../core/key-material.js';
import { PreparedPrivateKey } from '../../core/key-objects.js';
import { keySpec } from '../../core/key-specs.js';
import { SecretBytes } from '../../core/secret-bytes.js';
import type { KeyRecord, KeyVersionRecord } from '../../store/types.js';
import type { OpContext } from '../context.js';
import { hsmSign } from '../hsm/crypto.js';
import { createHsmObject } from '../hsm/keys.js';
import { getVersion, latestPrivateKey, wrapMaterial } from '../key-versions.js';

/** How keyring certificates are signed (MOSIP: SHA256withRSA). */
const KEYRING_SIGNING = 'RSASSA_PKCS1_V1_5_SHA_256';
const SPEC = keySpec('RSA_2048');

/** The Module key a Base key is sealed under: its public key, key id and whether it is in a token. */
interface ModuleKey {
  readonly publicKey: Uint8Array;
  readonly key: { readonly id: string };
  readonly hsm: boolean;
}

/**
 * A signer with a keyring key that exists (certificates of the level below, CSRs): the keyring's own use of its key,
 * so no usage check (a Base key, ENCRYPT_DECRYPT to callers, signs its CSR as MOSIP's does).
 */
export async function ringSigner(ctx: OpContext, key: KeyRecord): Promise<CertificateSigner> {
  const version = await getVersion(ctx, key, 1);
  const publicKey = version.publicKey ?? new Uint8Array();
  return {
    spec: SPEC,
    algorithm: KEYRING_SIGNING,
    publicKey,
    sign: async (message) =>
      key.protectionLevel === 'HSM'
        ? hsmSign(ctx, SPEC, version, KEYRING_SIGNING, message, 'RAW')
        : sign(SPEC, KEYRING_SIGNING, await latestPrivateKey(ctx, key), message, 'RAW'),
  };
}

/** A key pair made in the root's token: its version record and a signer in the token. */
export async function tokenKey(
  ctx: OpContext,
  id: string,
  now: Date,
): Promise<{ version: KeyVersionRecord; signer: CertificateSigner }> {
  const made = await createHsmObject(ctx, { id }, 1, { type: 'rsa', bits: 2048 }, null);
  const publicKey = made.publicKey ?? new Uint8Array();
  const version: KeyVersionRecord = {
    keyId: id,
    version: 1,
    wrappedMaterial: null,
    publicKey,
    createdAt: now,
    rotationType: null,
    encryptionCount: 0,
    tokenObjectId: made.tokenObjectId ?? null,
    customKeyStoreId: made.customKeyStoreId ?? null,
  };
  const signer: CertificateSigner = {
    spec: SPEC,
    algorithm: KEYRING_SIGNING,
    publicKey,
    sign: (message) => hsmSign(ctx, SPEC, version, KEYRING_SIGNING, message, 'RAW'),
  };
  return { version, signer };
}

/**
 * A software key pair: wrapped under the root of trust, and for a Base key first sealed under its Module key (the
 * second level, core/keyrings/module-wrap.ts: RSA-OAEP SHA-256, or SHA-1 for a Module key in a token).
 */
export async function softwareKey(
  ctx: OpContext,
  id: string,
  now: Date,
  moduleLevel: ModuleKey | null,
): Promise<{ version: KeyVersionRecord; signer: CertificateSigner }> {
  const generated = await generateKeyMaterial(SPEC);
  const publicKey = generated.publicKey ?? new Uint8Array();
  const prepared = PreparedPrivateKey.from(SPEC, generated.material);
  let material = generated.material;
  if (moduleLevel) {
    const inner = wrapUnderModuleKey(
      moduleLevel.publicKey,
      moduleLevel.hsm ? 'RSAES_OAEP_SHA_1' : 'RSAES_OAEP_SHA_256',
      generated.material,
      moduleWrapAad(id, 1, moduleLevel.key.id),
    );
    generated.material.wipe();
    material = SecretBytes.adopt(inner);
  }
  const wrapped = await wrapMaterial(ctx, { id, spec: SPEC.name }, 1, material);
  const version: KeyVersionRecord = {
    keyId: id,
    version: 1,
    wrappedMaterial: wrapped,
    publicKey,
    createdAt: now,
    rotationType: null,
    encryptionCount: 0,
    wrappingKeyId: moduleLevel?.key.id ?? null,
  };
  const signer: CertificateSigner = {
    spec: SPEC,
    algorithm: KEYRING_SIGNING,
    publicKey,
    sign: (message) => Promise.resolve(sign(SPEC, KEYRING_SIGNING, prepared, message, 'RAW')),
  };
  return { version, signer };
}
