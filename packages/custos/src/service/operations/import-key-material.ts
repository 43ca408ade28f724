// ImportKeyMaterial: unwraps material sent under an import token into an EXTERNAL key.
// Must not import api.
import { importKeyMaterialOperation, ValidationError, type ImportKeyMaterialRequest } from '@custos/contract';
import { unwrapImportedMaterial } from '../../core/algorithms/rsa.js';
import { specEntry } from '../../core/key-specs.js';
import { validateImportedMaterial } from '../../core/key-material.js';
import { materialCheckValue } from '../../core/material-check.js';
import type { Db } from '../../store/index.js';
import * as repo from '../../store/repositories/index.js';
import type { KeyRecord } from '../../store/types.js';
import type { OpContext } from '../context.js';
import { defineOperation } from '../define-operation.js';
import { effectiveState, loadKey, lockKey } from '../key-loading.js';
import { wrapMaterial } from '../key-versions.js';
import { keyArn } from '../key-ref.js';
import { S, assertStateAllows } from '../lifecycle.js';
import { refuseUnsupported } from '../rules.js';
import { assertExternal, decodeToken, unwrapTokenKey } from './get-parameters-for-import.js';

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

export const importKeyMaterial = defineOperation(
  importKeyMaterialOperation,
  { access: 'manage', states: S('PendingImport', 'Enabled', 'Disabled') },
  async (ctx, input) => {
    refuseUnsupported(input, ['importType', 'keyMaterialId', 'keyMaterialDescription']);
    const key = await loadKey(ctx, ctx.store.db, input.keyId);
    assertExternal(key);
    const expiresAt = expiryOf(ctx, input);
    const tokenId = decodeToken(input.importToken);
    const token = await repo.importTokens.get(ctx.store.db, tokenId);
    if (token?.keyId !== key.id)
      throw new ValidationError('the import token is not valid for this key', 'INVALID_IMPORT_TOKEN');
    if (token.expiresAt <= ctx.now()) throw new ValidationError('the import token has expired', 'EXPIRED_IMPORT_TOKEN');
    const wrappingKey = await unwrapTokenKey(ctx, token);
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
    ctx.audit.keyVersion = 1;
    ctx.audit.details = { expires: expiresAt !== null };
    await ctx.transaction(async (tx) => {
      // Locked (PostgreSQL: SELECT ... FOR UPDATE) and re-checked: two imports, or an import racing a deletion or
      // expiry on another node, apply one after the other to the state the previous one left.
      const current = await lockKey(tx, key.id);
      assertStateAllows(ctx.operation, effectiveState(ctx, current));
      await assertSameMaterial(tx, current, check);
      // Single-use (docs/errors.md): the token is spent in this transaction, so only a committed import spends it,
      // and of two imports racing with one token exactly one commits.
      if (!(await repo.importTokens.consume(tx, tokenId, key.id, ctx.now())))
        throw new ValidationError(
          'the import token is not valid for this key, or was already used',
          'INVALID_IMPORT_TOKEN',
        );
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
    return { keyId: keyArn(ctx.config, key.id) };
  },
);
