// DeriveKey (Custos): HKDF or PBKDF2 from a DERIVE_KEY key; the result is returned, or stored as a new
// managed symmetric key whose material never leaves the service.
import { deriveKeyOperation, ValidationError } from '@custos/contract';
import { randomUUID } from 'node:crypto';
import { deriveKey as kdf } from '../../core/algorithms/kdf.js';
import { isSymmetric, keySpec } from '../../core/key-specs.js';
import { exposeSecret } from '../../core/secret-bytes.js';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';
import {
  checkUse,
  countUse,
  keyMetadata,
  latestMaterial,
  loadKey,
  newKeyRecord,
  wrapMaterial,
} from '../key-loading.js';
import { keyArn } from '../key-ref.js';
import { USABLE } from '../lifecycle.js';
import { checkTags } from '../rules.js';

export const deriveKey = defineOperation(deriveKeyOperation, { access: 'use', states: USABLE }, async (ctx, input) => {
  if ((input.numberOfBytes === undefined) === (input.storeAs === undefined)) {
    throw new ValidationError('specify exactly one of numberOfBytes and storeAs');
  }
  const target = input.storeAs ? keySpec(input.storeAs.keySpec) : undefined;
  if (target && !isSymmetric(target))
    throw new ValidationError('a derived key can only be stored as a symmetric (AES or HMAC) key');
  const targetUsage = input.storeAs ? (input.storeAs.keyUsage ?? target!.usages[0]!) : undefined;
  if (target && !target.usages.includes(targetUsage!))
    throw new ValidationError(`a ${target.name} key cannot have usage ${targetUsage}`);
  checkTags(input.storeAs?.tags);
  // Parameters that do not fit the algorithm (iterations for HKDF, info for PBKDF2) are refused by core's deriveKey.

  const key = await loadKey(ctx, ctx.store.db, input.keyId);
  checkUse(ctx, key, 'DERIVE_KEY', input.derivationAlgorithm, true);
  const { material } = await latestMaterial(ctx, key);
  const length = target ? target.keyBytes! : input.numberOfBytes!;
  const derived = (() => {
    try {
      return kdf(input.derivationAlgorithm, material, {
        salt: input.salt,
        length,
        ...(input.info ? { info: input.info } : {}),
        ...(input.iterations !== undefined ? { iterations: input.iterations } : {}),
      });
    } finally {
      material.wipe();
    }
  })();
  // Counted once the parameters have proved valid (a short salt or missing iterations is refused, not a use).
  try {
    await countUse(ctx.store.db, key);
  } catch (error) {
    derived.wipe();
    throw error;
  }
  ctx.audit.details = { derivationAlgorithm: input.derivationAlgorithm, stored: Boolean(target) };
  if (!target) {
    const plaintext = new Uint8Array(exposeSecret(derived));
    derived.wipe();
    return { keyId: keyArn(ctx.config, key.id), plaintext };
  }
  const now = ctx.now();
  const created = newKeyRecord(now, {
    id: randomUUID(),
    spec: target.name,
    usage: targetUsage!,
    state: 'Enabled',
    origin: 'AWS_KMS',
    latestVersion: 1,
    description: input.storeAs!.description ?? `derived from ${key.id} with ${input.derivationAlgorithm}`,
    exportable: input.storeAs!.exportable ?? false,
  });
  const wrapped = await wrapMaterial(ctx, created, 1, derived);
  await ctx.store.transaction(async (tx) => {
    await repo.keys.insert(tx, created);
    await repo.keyVersions.insert(tx, {
      keyId: created.id,
      version: 1,
      wrappedMaterial: wrapped,
      publicKey: null,
      createdAt: now,
      rotationType: null,
      encryptionCount: 0,
    });
    if (input.storeAs!.tags?.length) await repo.tags.put(tx, created.id, input.storeAs!.tags);
  });
  ctx.audit.details = { ...ctx.audit.details, derivedKeyId: created.id };
  return { keyId: keyArn(ctx.config, key.id), keyMetadata: keyMetadata(ctx, created) };
});
