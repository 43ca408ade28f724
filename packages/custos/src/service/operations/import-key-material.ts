// GetParametersForImport, ImportKeyMaterial, DeleteImportedKeyMaterial: bring your own key (AWS's flow).
// The wrapping key pair lives with its token; its private half is wrapped by the root of trust.
import { randomUUID } from 'node:crypto';
import {
  UnsupportedError,
  ValidationError,
  type DeleteImportedKeyMaterialRequest,
  type DeleteImportedKeyMaterialResponse,
  type GetParametersForImportRequest,
  type GetParametersForImportResponse,
  type ImportKeyMaterialRequest,
  type ImportKeyMaterialResponse,
} from '@custos/contract';
import { unwrapImportedMaterial } from '../../core/algorithms/rsa.js';
import { generateKeyMaterial, validateImportedMaterial } from '../../core/key-material.js';
import { keySpec, specEntry } from '../../core/key-specs.js';
import { materialCheckValue } from '../../core/material-check.js';
import { bytesToUuid, UUID_BYTES, writeUuid } from '../../core/uuid.js';
import * as repo from '../../store/repositories/index.js';
import type { Db } from '../../store/index.js';
import type { KeyRecord } from '../../store/types.js';
import type { OpContext } from '../context.js';
import { keyArn } from '../key-ref.js';
import { effectiveState, loadKey, wrapMaterial } from '../keys.js';
import { assertStateAllows } from '../lifecycle.js';
import { refuseUnsupported } from '../rules.js';

const TOKEN_FORMAT = 0x01;

function tokenAad(tokenId: string, keyId: string): Uint8Array {
  return new TextEncoder().encode(`custos/import-token/v1\n${tokenId}\n${keyId}`);
}

function assertExternal(key: KeyRecord): void {
  if (key.origin !== 'EXTERNAL')
    throw new UnsupportedError('only keys created with origin EXTERNAL take imported key material');
}

/** The import token: a format byte and the token id (the wrapping key stays in the store). */
function encodeToken(id: string): Uint8Array {
  const token = new Uint8Array(1 + UUID_BYTES);
  token[0] = TOKEN_FORMAT;
  writeUuid(token, 1, id);
  return token;
}

function decodeToken(token: Uint8Array): string {
  if (token.length !== 1 + UUID_BYTES || token[0] !== TOKEN_FORMAT)
    throw new ValidationError('the import token is not valid', 'INVALID_IMPORT_TOKEN');
  return bytesToUuid(token.subarray(1));
}

export async function getParametersForImport(
  ctx: OpContext,
  input: GetParametersForImportRequest,
): Promise<GetParametersForImportResponse> {
  const key = await loadKey(ctx, ctx.store.db, input.keyId, 'GetParametersForImport');
  assertExternal(key);
  const pair = await generateKeyMaterial(keySpec(input.wrappingKeySpec));
  const id = randomUUID();
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + ctx.config.importTokenTtlMs);
  const wrappedPrivateKey = await ctx.rootOfTrust
    .wrap(pair.material, tokenAad(id, key.id))
    .finally(() => pair.material.wipe());
  await repo.importTokens.insert(ctx.store.db, {
    id,
    keyId: key.id,
    wrappingKeySpec: input.wrappingKeySpec,
    wrappingAlgorithm: input.wrappingAlgorithm,
    wrappedPrivateKey,
    publicKey: pair.publicKey!,
    createdAt: now,
    expiresAt,
  });
  ctx.audit.details = { wrappingAlgorithm: input.wrappingAlgorithm, wrappingKeySpec: input.wrappingKeySpec };
  return {
    keyId: keyArn(ctx.config, key.id),
    importToken: encodeToken(id),
    publicKey: pair.publicKey!,
    parametersValidTo: expiresAt,
  };
}

function expiryOf(ctx: OpContext, input: ImportKeyMaterialRequest): Date | null {
  const model = input.expirationModel ?? (input.validTo ? 'KEY_MATERIAL_EXPIRES' : 'KEY_MATERIAL_DOES_NOT_EXPIRE');
  if (model === 'KEY_MATERIAL_EXPIRES' && !input.validTo)
    throw new ValidationError('validTo is required when the key material expires');
  if (model === 'KEY_MATERIAL_DOES_NOT_EXPIRE' && input.validTo)
    throw new ValidationError('validTo must be omitted when the key material does not expire');
  if (input.validTo && input.validTo <= ctx.now()) throw new ValidationError('validTo must be in the future');
  return input.validTo ?? null;
}

/** Re-imports must bring the same material as the first import (AWS IncorrectKeyMaterialException). */
async function assertSameMaterial(db: Db, key: KeyRecord, check: string): Promise<void> {
  if (key.latestVersion === 0) return;
  const existing = await repo.keyVersions.get(db, key.id, 1);
  if (existing?.materialCheck && existing.materialCheck !== check) {
    throw new ValidationError(
      'this key material differs from the material previously imported into the key',
      'INCORRECT_KEY_MATERIAL',
    );
  }
}

export async function importKeyMaterial(
  ctx: OpContext,
  input: ImportKeyMaterialRequest,
): Promise<ImportKeyMaterialResponse> {
  refuseUnsupported(input, ['importType', 'keyMaterialId', 'keyMaterialDescription']);
  const key = await loadKey(ctx, ctx.store.db, input.keyId, 'ImportKeyMaterial');
  assertExternal(key);
  const expiresAt = expiryOf(ctx, input);
  const tokenId = decodeToken(input.importToken);
  const token = await repo.importTokens.get(ctx.store.db, tokenId);
  if (!token || token.keyId !== key.id)
    throw new ValidationError('the import token is not valid for this key', 'INVALID_IMPORT_TOKEN');
  if (token.expiresAt <= ctx.now()) throw new ValidationError('the import token has expired', 'EXPIRED_IMPORT_TOKEN');
  const wrappingKey = await ctx.rootOfTrust.unwrap(token.wrappedPrivateKey, tokenAad(token.id, key.id));
  const raw = (() => {
    try {
      return unwrapImportedMaterial(token.wrappingAlgorithm, wrappingKey, input.encryptedKeyMaterial);
    } finally {
      wrappingKey.wipe();
    }
  })();
  const spec = specEntry(key.spec);
  const validated = (() => {
    try {
      return validateImportedMaterial(spec, raw);
    } finally {
      raw.wipe();
    }
  })();
  const check = materialCheckValue(validated.material);
  const wrapped = await wrapMaterial(ctx, key, 1, validated.material);
  await ctx.store.transaction(async (tx) => {
    // Locked (PostgreSQL: SELECT ... FOR UPDATE) and re-checked: two imports, or an import racing a deletion or
    // expiry on another node, apply one after the other to the state the previous one left.
    const current = (await repo.keys.getForUpdate(tx, key.id))!;
    assertStateAllows('ImportKeyMaterial', effectiveState(ctx, current));
    await assertSameMaterial(tx, current, check);
    if (current.latestVersion === 0) {
      await repo.keyVersions.insert(tx, {
        keyId: key.id,
        version: 1,
        wrappedMaterial: wrapped,
        publicKey: validated.publicKey ?? null,
        createdAt: ctx.now(),
        rotationType: null,
        encryptionCount: 0,
        materialCheck: check,
      });
    } else {
      await repo.keyVersions.setMaterial(tx, key.id, 1, wrapped);
    }
    await repo.keys.update(tx, key.id, {
      state: current.state === 'PendingImport' ? 'Enabled' : current.state,
      latestVersion: 1,
      materialExpiresAt: expiresAt,
      updatedAt: ctx.now(),
    });
  });
  ctx.audit.keyVersion = 1;
  ctx.audit.details = { expires: expiresAt !== null };
  return { keyId: keyArn(ctx.config, key.id) };
}

/** Destroys imported material now: the key waits in PendingImport (or stays PendingDeletion) for the same material again. */
export async function deleteImportedKeyMaterial(
  ctx: OpContext,
  input: DeleteImportedKeyMaterialRequest,
): Promise<DeleteImportedKeyMaterialResponse> {
  refuseUnsupported(input, ['keyMaterialId']);
  const id = await ctx.store.transaction(async (tx) => {
    const key = await loadKey(ctx, tx, input.keyId, 'DeleteImportedKeyMaterial');
    assertExternal(key);
    await removeMaterial(ctx, tx, key);
    return key.id;
  });
  return { keyId: keyArn(ctx.config, id) };
}

/** AWS: a key pending deletion stays PendingDeletion (CancelKeyDeletion then returns it to PendingImport). */
export async function removeMaterial(ctx: OpContext, tx: Db, key: KeyRecord): Promise<void> {
  await repo.keyVersions.destroyMaterial(tx, key.id);
  const state = key.state === 'PendingDeletion' ? 'PendingDeletion' : 'PendingImport';
  await repo.keys.update(tx, key.id, { state, materialExpiresAt: null, updatedAt: ctx.now() });
}
