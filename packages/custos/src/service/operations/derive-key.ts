// DeriveKey (Custos): HKDF or PBKDF2 from a DERIVE_KEY key; the result is returned, or stored as a new
// managed symmetric key whose material never leaves the service.
import {
  deriveKeyOperation,
  InternalError,
  ValidationError,
  type DeriveKeyRequest,
  type DeriveKeyStoreAs,
  type KeyUsage,
} from '@custos/contract';
import { randomUUID } from 'node:crypto';
import { deriveKey as kdf } from '../../core/algorithms/kdf.js';
import { isSymmetric, keySpec, type KeySpecEntry } from '../../core/key-specs.js';
import { exposeSecret } from '../../core/secret-bytes.js';
import * as repo from '../../store/repositories/index.js';
import { defineOperation } from '../define-operation.js';
import { checkUse, countUse, loadKey, newKeyRecord } from '../key-loading.js';
import { keyMetadata } from '../key-metadata.js';
import { latestMaterial, wrapMaterial } from '../key-versions.js';
import { keyArn } from '../key-ref.js';
import { USABLE } from '../lifecycle.js';
import { checkTags } from '../rules.js';

/** The key a derivation is stored as: checked before any key is loaded. */
interface StoredKey {
  readonly request: DeriveKeyStoreAs;
  readonly spec: KeySpecEntry;
  readonly usage: KeyUsage;
}

/**
 * numberOfBytes (the bytes are returned) or storeAs (they become a new symmetric key): the request schema's union
 * admits exactly one of them, so a request with both or neither has already failed validation.
 */
function derivedOutput(input: DeriveKeyRequest): { readonly length: number; readonly stored?: StoredKey } {
  if (input.storeAs === undefined) return { length: input.numberOfBytes };
  const { storeAs } = input;
  const spec = keySpec(storeAs.keySpec);
  if (!isSymmetric(spec))
    throw new ValidationError('a derived key can only be stored as a symmetric (AES or HMAC) key');
  const [defaultUsage] = spec.usages;
  const usage = storeAs.keyUsage ?? defaultUsage;
  // Every symmetric spec has a size and at least one usage (core's table): a missing one is a bug in the table.
  if (usage === undefined || spec.keyBytes === undefined)
    throw new InternalError(`${spec.name} lacks a usage or a size`);
  if (!spec.usages.includes(usage)) throw new ValidationError(`a ${spec.name} key cannot have usage ${usage}`);
  return { length: spec.keyBytes, stored: { request: storeAs, spec, usage } };
}

export const deriveKey = defineOperation(deriveKeyOperation, { access: 'use', states: USABLE }, async (ctx, input) => {
  const { length, stored } = derivedOutput(input);
  checkTags(input.storeAs?.tags);
  // Parameters that do not fit the algorithm (iterations for HKDF, info for PBKDF2) are refused by core's deriveKey.

  const key = await loadKey(ctx, ctx.store.db, input.keyId);
  checkUse(ctx, key, 'DERIVE_KEY', input.derivationAlgorithm, true);
  const { material } = await latestMaterial(ctx, key);
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
    await countUse(ctx, key);
  } catch (error) {
    derived.wipe();
    throw error;
  }
  ctx.audit.details = { derivationAlgorithm: input.derivationAlgorithm, stored: Boolean(stored) };
  if (!stored) {
    const plaintext = new Uint8Array(exposeSecret(derived));
    derived.wipe();
    return { keyId: keyArn(ctx.config, key.id), plaintext };
  }
  const { request, spec, usage } = stored;
  const now = ctx.now();
  const created = newKeyRecord(now, {
    id: randomUUID(),
    spec: spec.name,
    usage,
    state: 'Enabled',
    origin: 'AWS_KMS',
    latestVersion: 1,
    description: request.description ?? `derived from ${key.id} with ${input.derivationAlgorithm}`,
    exportable: request.exportable ?? false,
  });
  const wrapped = await wrapMaterial(ctx, created, 1, derived);
  ctx.audit.details = { ...ctx.audit.details, derivedKeyId: created.id };
  await ctx.transaction(async (tx) => {
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
    if (request.tags?.length) await repo.tags.put(tx, created.id, request.tags);
  });
  return { keyId: keyArn(ctx.config, key.id), keyMetadata: keyMetadata(ctx, created) };
});
