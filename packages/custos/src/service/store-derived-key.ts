// Storing a derived secret as a new managed AES or HMAC key (DeriveKey's and DeriveSharedSecret's storeAs): the
// request's checks, and the key row with its first version. Must not import api.
import { randomUUID } from 'node:crypto';
import {
  InternalError,
  ValidationError,
  type DeriveKeyStoreAs,
  type KeyMetadata,
  type KeyUsage,
} from '@custos/contract';
import { isSymmetric, keySpec, type KeySpecEntry } from '../core/key-specs.js';
import type { SecretBytes } from '../core/secret-bytes.js';
import * as repo from '../store/repositories/index.js';
import type { KeyRecord } from '../store/types.js';
import type { OpContext } from './context.js';
import { newKeyRecord } from './key-loading.js';
import { keyMetadata } from './key-metadata.js';
import { wrapMaterial } from './key-versions.js';
import { checkTags } from './rules.js';

/** The key a derivation is stored as: checked before any key is loaded. */
export interface StoredKey {
  readonly request: DeriveKeyStoreAs;
  readonly spec: KeySpecEntry;
  readonly usage: KeyUsage;
  /** The length of the spec's raw key, the length to derive. */
  readonly length: number;
}

/** Checks a storeAs request: a symmetric spec, a usage it has, valid tags. VALIDATION_ERROR / INVALID_KEY_USAGE. */
export function storedKey(request: DeriveKeyStoreAs): StoredKey {
  const spec = keySpec(request.keySpec);
  if (!isSymmetric(spec))
    throw new ValidationError('a derived key can only be stored as a symmetric (AES or HMAC) key');
  const [defaultUsage] = spec.usages;
  const usage = request.keyUsage ?? defaultUsage;
  // Every symmetric spec has a size and at least one usage (core's table): a missing one is a bug in the table.
  if (usage === undefined || spec.keyBytes === undefined)
    throw new InternalError(`${spec.name} lacks a usage or a size`);
  if (!spec.usages.includes(usage)) throw new ValidationError(`a ${spec.name} key cannot have usage ${usage}`);
  checkTags(request.tags);
  return { request, spec, usage, length: spec.keyBytes };
}

/** Inserts an Enabled key (origin AWS_KMS) holding `derived` (wiped), notes it in the audit record; its metadata. */
export async function storeDerivedKey(
  ctx: OpContext,
  stored: StoredKey,
  derived: SecretBytes,
  defaultDescription: string,
): Promise<KeyMetadata> {
  const { request, spec, usage } = stored;
  const now = ctx.now();
  const created: KeyRecord = newKeyRecord(now, {
    id: randomUUID(),
    spec: spec.name,
    usage,
    state: 'Enabled',
    origin: 'AWS_KMS',
    latestVersion: 1,
    description: request.description ?? defaultDescription,
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
  return keyMetadata(ctx, created);
}
