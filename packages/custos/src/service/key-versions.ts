// A key's versions and their material: wrapping under the root of trust, unwrapping through the key cache, the
// parsed private key. Must not import api. The one place material is wrapped and unwrapped for key versions.
import { InternalError, InvalidStateError } from '@custos/contract';
import { PreparedPrivateKey } from '../core/key-objects.js';
import { specEntry } from '../core/key-specs.js';
import { rsaOaepDecrypt } from '../core/algorithms/rsa.js';
import { moduleWrapAad, openModuleWrapped, parseModuleWrapped } from '../core/keyrings/module-wrap.js';
import { exposeSecret, SecretBytes } from '../core/secret-bytes.js';
import * as repo from '../store/repositories/index.js';
import type { KeyRecord, KeyVersionRecord } from '../store/types.js';
import type { OpContext, ServiceContext } from './context.js';
import { hsmOaepDecrypt } from './hsm/crypto.js';
import { publicKeyOnlyError } from './public-key-only.js';
import { unwrapCurrent } from './root/unwrap-current.js';

/** Additional data binding wrapped material to its key, version and spec (DESIGN: "Key version"). */
export function materialAad(keyId: string, version: number, spec: string): Uint8Array {
  return new TextEncoder().encode(`custos/key-material/v1\n${keyId}\n${version}\n${spec}`);
}

/** Wraps one version's material under the root of trust and wipes it, whether or not the wrapping succeeded. */
export async function wrapMaterial(
  ctx: ServiceContext,
  key: Pick<KeyRecord, 'id' | 'spec'>,
  version: number,
  material: SecretBytes,
): Promise<Uint8Array> {
  try {
    return await ctx.rootOfTrust.wrap(material, materialAad(key.id, version, key.spec));
  } finally {
    material.wipe();
  }
}

/**
 * The key cache's copy of a version's material (the caller wipes it), without a promise: the hot path's way in.
 * Never for a version whose material is gone, whatever the cache holds.
 */
export function cachedMaterial(
  ctx: ServiceContext,
  key: KeyRecord,
  version: KeyVersionRecord,
): SecretBytes | undefined {
  return version.wrappedMaterial ? ctx.cache.material(key.id, version.version) : undefined;
}

/** Unwraps one version's material (a copy the caller wipes); INVALID_KEY_STATE when destroyed or deleted. */
export async function unwrapVersion(
  ctx: ServiceContext,
  key: KeyRecord,
  version: KeyVersionRecord,
): Promise<SecretBytes> {
  // An HSM-protected version has no material outside its token: its operations go to service/hsm, never here.
  if (key.protectionLevel === 'HSM')
    throw new InternalError(
      `version ${version.version} of ${key.id} is HSM-protected: its material never leaves the token`,
    );
  // Defence in depth: loadKey already refuses every operation a public-key-only key does not allow.
  if (key.publicKeyOnly) throw publicKeyOnlyError('this operation', key.id);
  if (!version.wrappedMaterial) throw new InvalidStateError('the key material of this version is not available');
  const hit = cachedMaterial(ctx, key, version);
  if (hit) return hit;
  const epoch = ctx.cache.epoch;
  // A record read before a root rotation re-wrapped its row: the row is read again (MAC-checked) if need be.
  const unwrapped = await unwrapCurrent(
    ctx.rootOfTrust,
    version.wrappedMaterial,
    materialAad(key.id, version.version, key.spec),
    async () => (await repo.keyVersions.get(ctx.store.db, key.id, version.version))?.wrappedMaterial,
  );
  const material = version.wrappingKeyId
    ? await openUnderModuleKey(ctx, key, version, version.wrappingKeyId, unwrapped)
    : unwrapped;
  ctx.cache.putMaterial(epoch, key.id, version.version, material);
  return material;
}

/**
 * The second level of a keyring Base key (core/keyrings/module-wrap.ts): what the root unwrapped is sealed under the
 * Module key `moduleKeyId` (its version 1: keyring keys are never rotated, each generation is a key of its own), whose
 * RSA key opens the AES key — in its token when the Module key is HSM-protected. `inner` is wiped.
 */
async function openUnderModuleKey(
  ctx: ServiceContext,
  key: KeyRecord,
  version: KeyVersionRecord,
  moduleKeyId: string,
  inner: SecretBytes,
): Promise<SecretBytes> {
  try {
    const parts = parseModuleWrapped(exposeSecret(inner));
    const moduleKey = await repo.keys.get(ctx.store.db, moduleKeyId);
    if (!moduleKey) throw new InternalError(`the Module key ${moduleKeyId} of ${key.id} has no row`);
    const moduleVersion = await getVersion(ctx, moduleKey, 1);
    let aesKey: SecretBytes;
    if (moduleKey.protectionLevel === 'HSM') {
      aesKey = SecretBytes.adopt(await hsmOaepDecrypt(ctx, moduleVersion, parts.algorithm, parts.wrappedKey));
    } else {
      const modulePrivate = await unwrapVersion(ctx, moduleKey, moduleVersion);
      try {
        aesKey = SecretBytes.adopt(rsaOaepDecrypt(parts.algorithm, modulePrivate, parts.wrappedKey));
      } finally {
        modulePrivate.wipe();
      }
    }
    return openModuleWrapped(parts, aesKey, moduleWrapAad(key.id, version.version, moduleKeyId));
  } finally {
    inner.wipe();
  }
}

/**
 * The newest version's private key, parsed once and kept in the key cache (asymmetric specs); without a promise
 * when the cache has it. Await the result either way.
 */
export function latestPrivateKey(ctx: OpContext, key: KeyRecord): PreparedPrivateKey | Promise<PreparedPrivateKey> {
  const version = ctx.cache.version(key.id, key.latestVersion);
  const hit = version && ctx.cache.prepared(key.id, version.version);
  if (!hit) return preparePrivateKey(ctx, key);
  ctx.audit.keyVersion = version.version;
  return hit;
}

async function preparePrivateKey(ctx: OpContext, key: KeyRecord): Promise<PreparedPrivateKey> {
  const version = await getVersion(ctx, key, key.latestVersion);
  ctx.audit.keyVersion = version.version;
  const hit = ctx.cache.prepared(key.id, version.version);
  if (hit) return hit;
  const epoch = ctx.cache.epoch;
  const material = await unwrapVersion(ctx, key, version);
  try {
    const prepared = PreparedPrivateKey.from(specEntry(key.spec), material);
    ctx.cache.putPrepared(epoch, key.id, version.version, prepared);
    return prepared;
  } finally {
    material.wipe();
  }
}

/** A version's record (through the key cache), or undefined. */
export async function findVersion(
  ctx: ServiceContext,
  key: KeyRecord,
  version: number,
): Promise<KeyVersionRecord | undefined> {
  const hit = ctx.cache.version(key.id, version);
  if (hit) return hit;
  const epoch = ctx.cache.epoch;
  const found = await repo.keyVersions.get(ctx.store.db, key.id, version);
  if (found) ctx.cache.putVersion(epoch, found);
  return found;
}

export async function getVersion(ctx: ServiceContext, key: KeyRecord, version: number): Promise<KeyVersionRecord> {
  const found = await findVersion(ctx, key, version);
  if (!found) throw new InvalidStateError('the key has no such version');
  return found;
}

/** The newest version's record and material. */
export async function latestMaterial(
  ctx: OpContext,
  key: KeyRecord,
): Promise<{ version: KeyVersionRecord; material: SecretBytes }> {
  // Straight from the key cache when it has both (no promise per step on the hot path).
  const version = ctx.cache.version(key.id, key.latestVersion) ?? (await getVersion(ctx, key, key.latestVersion));
  ctx.audit.keyVersion = version.version;
  return { version, material: cachedMaterial(ctx, key, version) ?? (await unwrapVersion(ctx, key, version)) };
}

/** The newest version's record (through the key cache), noted for the audit record: HSM keys' way in. */
export async function latestVersion(ctx: OpContext, key: KeyRecord): Promise<KeyVersionRecord> {
  const version = ctx.cache.version(key.id, key.latestVersion) ?? (await getVersion(ctx, key, key.latestVersion));
  ctx.audit.keyVersion = version.version;
  return version;
}
