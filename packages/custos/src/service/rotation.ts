// Rotation: append a version with fresh material. Used by RotateKeyOnDemand, the automatic-rotation job,
// and the encryption bound. Must not import api.
import { NotFoundError, UnsupportedError } from '@custos/contract';
import { isSymmetric, specEntry } from '../core/key-specs.js';
import * as repo from '../store/repositories/index.js';
import type { KeyRecord } from '../store/types.js';
import type { Db } from '../store/index.js';
import type { OpContext, ServiceContext } from './context.js';
import { lockKey } from './key-loading.js';
import { wrapMaterial } from './key-versions.js';
import { createHsmObject, destroyHsmObject, hsmKeyKind, isHsmKey } from './hsm/keys.js';
import { publishKeyChange } from './key-change.js';
import { newKeyMaterial } from './dev/dev-mode.js';

export const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Why the key cannot rotate, or undefined when it can: only keys whose every version stays addressable (AES, whose
 * blob names the version, and HMAC), and only with material Custos generated.
 */
export function whyNotRotatable(key: KeyRecord): string | undefined {
  if (!isSymmetric(specEntry(key.spec))) return 'only symmetric (AES and HMAC) keys can be rotated';
  if (key.origin === 'EXTERNAL') return 'keys with imported key material cannot be rotated';
  // As on AWS: neither automatic nor on-demand rotation for keys in a custom key store.
  if (key.origin === 'AWS_CLOUDHSM') return 'keys in a custom key store cannot be rotated';
  return undefined;
}

/** UNSUPPORTED unless the key can rotate (see whyNotRotatable). */
export function assertRotatable(key: KeyRecord): void {
  const reason = whyNotRotatable(key);
  if (reason) throw new UnsupportedError(reason);
}

/** How a rotation runs its transaction: the store's, or an operation's audited one (`auditedRotation`). */
type RotationTransaction = (fn: (tx: Db) => Promise<KeyRecord>) => Promise<KeyRecord>;

/**
 * The transaction of a rotation that is the operation itself (RotateKeyOnDemand, AutoRotateKey): its audit record,
 * naming the new version, commits with the version (issue 12).
 */
export function auditedRotation(ctx: OpContext): RotationTransaction {
  return (fn) =>
    ctx.transaction(async (tx) => {
      const rotated = await fn(tx);
      ctx.audit.keyVersion = rotated.latestVersion;
      return rotated;
    });
}

/** The token object of an HSM-protected key's next version, in the token holding its newest version. */
async function newHsmVersion(ctx: ServiceContext, key: KeyRecord) {
  const latest = await repo.keyVersions.get(ctx.store.db, key.id, key.latestVersion);
  const kind = hsmKeyKind({
    spec: specEntry(key.spec),
    usage: key.usage,
    origin: key.origin,
    exportable: key.exportable,
  });
  return createHsmObject(ctx, key, key.latestVersion + 1, kind, latest?.customKeyStoreId ?? null);
}

/**
 * Adds version latest+1. With `expectedLatest`, a rotation that lost a race (someone else already added that
 * version) does not add another: the caller gets the current key. `transaction` defaults to the store's (the
 * encryption bound, inside a cryptographic call whose record goes through group commit).
 */
export async function rotateKey(
  ctx: ServiceContext,
  keyId: string,
  type: 'AUTOMATIC' | 'ON_DEMAND',
  expectedLatest?: number,
  transaction: RotationTransaction = (fn) => ctx.store.transaction(fn),
): Promise<KeyRecord> {
  const before = await repo.keys.get(ctx.store.db, keyId);
  if (!before) throw new NotFoundError(`key not found: ${keyId}`, 'KEY_NOT_FOUND');
  assertRotatable(before);
  const spec = specEntry(before.spec);
  // HSM-protected: a new token object per version, in the token of the versions before it.
  const hsmObject = isHsmKey(before) ? await newHsmVersion(ctx, before) : undefined;
  // The next version's number is only known inside the lock; development mode derives from the expected one.
  const generated = hsmObject ? undefined : await newKeyMaterial(ctx, spec, keyId, before.latestVersion + 1);
  const outcome = { inserted: false };
  let committed = false;
  let rotated: KeyRecord;
  try {
    // The generated material is wiped by wrapMaterial, or in `finally` when the rotation lost its race or failed.
    rotated = await transaction(async (tx) => {
      // Locked (PostgreSQL: SELECT ... FOR UPDATE) so that concurrent rotations on any node add contiguous versions.
      const key = await lockKey(tx, keyId);
      if (expectedLatest !== undefined && key.latestVersion !== expectedLatest) return key;
      const now = ctx.now();
      const version = key.latestVersion + 1;
      const wrapped = generated ? await wrapMaterial(ctx, key, version, generated.material) : null;
      await repo.keyVersions.insert(tx, {
        keyId,
        version,
        wrappedMaterial: wrapped,
        publicKey: hsmObject?.publicKey ?? generated?.publicKey ?? null,
        createdAt: now,
        rotationType: type,
        encryptionCount: 0,
        ...(hsmObject ? { tokenObjectId: hsmObject.tokenObjectId, customKeyStoreId: hsmObject.customKeyStoreId } : {}),
      });
      outcome.inserted = true;
      // AWS RotateKeyOnDemand: on-demand rotations do not change the automatic rotation schedule.
      const nextRotationAt =
        type === 'AUTOMATIC' && key.rotationEnabled && key.rotationPeriodDays
          ? new Date(now.getTime() + key.rotationPeriodDays * DAY_MS)
          : key.nextRotationAt;
      await repo.keys.update(tx, keyId, { latestVersion: version, nextRotationAt, updatedAt: now });
      // Before the commit too, so no encryption picks the old version from the cache after it; KeyService drops
      // the key again once the operation is over.
      ctx.cache.invalidateKey(keyId);
      return { ...key, latestVersion: version, nextRotationAt, updatedAt: now };
    }).finally(() => {
      generated?.material.wipe();
    });
    committed = outcome.inserted;
  } finally {
    // Nothing half-written: a token object no committed version names (a lost race, a failed commit) is destroyed.
    if (hsmObject && !committed) await destroyHsmObject(ctx, hsmObject).catch(() => undefined);
  }
  // Committed: the other nodes drop the key as well (the encryption bound rotates inside Encrypt, which KeyService
  // does not treat as a key change).
  await publishKeyChange(ctx, keyId);
  return rotated;
}
