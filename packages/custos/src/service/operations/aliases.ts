// CreateAlias, UpdateAlias, DeleteAlias, ListAliases: friendly names pointing at keys.
import {
  NotFoundError,
  ValidationError,
  type CreateAliasRequest,
  type CreateAliasResponse,
  type DeleteAliasRequest,
  type DeleteAliasResponse,
  type ListAliasesRequest,
  type ListAliasesResponse,
  type UpdateAliasRequest,
  type UpdateAliasResponse,
} from '@custos/contract';
import { isSymmetric, specEntry } from '../../core/key-specs.js';
import * as repo from '../../store/repositories/index.js';
import type { KeyRecord } from '../../store/types.js';
import type { OpContext } from '../context.js';
import { aliasArn, checkAliasName, parseKeyRef } from '../key-ref.js';
import { findKey, loadKey } from '../keys.js';
import { pageResponse } from './paging.js';

/** An alias names a key directly: its target must be a key id or key ARN, not another alias. */
async function loadTarget(
  ctx: OpContext,
  tx: Parameters<typeof loadKey>[1],
  targetKeyId: string,
  operation: 'CreateAlias' | 'UpdateAlias',
): Promise<KeyRecord> {
  if (parseKeyRef(targetKeyId, ctx.config).kind === 'alias')
    throw new ValidationError('an alias must target a key id or key ARN, not an alias');
  return loadKey(ctx, tx, targetKeyId, operation);
}

export async function createAlias(ctx: OpContext, input: CreateAliasRequest): Promise<CreateAliasResponse> {
  checkAliasName(input.aliasName);
  await ctx.store.transaction(async (tx) => {
    const key = await loadTarget(ctx, tx, input.targetKeyId, 'CreateAlias');
    const now = ctx.now();
    await repo.aliases.insert(tx, { name: input.aliasName, keyId: key.id, createdAt: now, updatedAt: now });
  });
  ctx.audit.details = { aliasName: input.aliasName };
  return {};
}

/** AWS: the new target must have the same key usage and the same kind (symmetric or not). */
export async function updateAlias(ctx: OpContext, input: UpdateAliasRequest): Promise<UpdateAliasResponse> {
  checkAliasName(input.aliasName);
  await ctx.store.transaction(async (tx) => {
    const alias = await repo.aliases.get(tx, input.aliasName);
    if (!alias) throw new NotFoundError(`alias not found: ${input.aliasName}`, 'ALIAS_NOT_FOUND');
    const current = await findKey(ctx, tx, alias.keyId);
    const key = await loadTarget(ctx, tx, input.targetKeyId, 'UpdateAlias');
    if (current.usage !== key.usage || isSymmetric(specEntry(current.spec)) !== isSymmetric(specEntry(key.spec))) {
      throw new ValidationError('the new target key must have the same key usage and type as the current one');
    }
    await repo.aliases.update(tx, input.aliasName, key.id, ctx.now());
  });
  ctx.audit.details = { aliasName: input.aliasName };
  return {};
}

export async function deleteAlias(ctx: OpContext, input: DeleteAliasRequest): Promise<DeleteAliasResponse> {
  checkAliasName(input.aliasName);
  await ctx.store.transaction(async (tx) => {
    const alias = await repo.aliases.get(tx, input.aliasName);
    if (!alias) throw new NotFoundError(`alias not found: ${input.aliasName}`, 'ALIAS_NOT_FOUND');
    ctx.audit.keyId = alias.keyId;
    await repo.aliases.remove(tx, input.aliasName);
  });
  ctx.audit.details = { aliasName: input.aliasName };
  return {};
}

export async function listAliases(ctx: OpContext, input: ListAliasesRequest): Promise<ListAliasesResponse> {
  const keyId = input.keyId ? (await findKey(ctx, ctx.store.db, input.keyId)).id : undefined;
  const page = await repo.aliases.list(ctx.store.db, {
    limit: input.limit ?? 100,
    ...(keyId ? { keyId } : {}),
    ...(input.marker ? { after: input.marker } : {}),
  });
  return {
    aliases: page.items.map((alias) => ({
      aliasName: alias.name,
      aliasArn: aliasArn(ctx.config, alias.name),
      targetKeyId: alias.keyId,
      creationDate: alias.createdAt,
      lastUpdatedDate: alias.updatedAt,
    })),
    ...pageResponse(page),
  };
}
