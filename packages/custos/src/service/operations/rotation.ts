// EnableKeyRotation, DisableKeyRotation, GetKeyRotationStatus, RotateKeyOnDemand, ListKeyRotations.
import {
  UnsupportedError,
  ValidationError,
  type DisableKeyRotationRequest,
  type DisableKeyRotationResponse,
  type EnableKeyRotationRequest,
  type EnableKeyRotationResponse,
  type GetKeyRotationStatusRequest,
  type GetKeyRotationStatusResponse,
  type ListKeyRotationsRequest,
  type ListKeyRotationsResponse,
  type RotateKeyOnDemandRequest,
  type RotateKeyOnDemandResponse,
} from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import type { KeyVersionRecord } from '../../store/types.js';
import type { OpContext } from '../context.js';
import { keyArn } from '../key-ref.js';
import { loadKey } from '../keys.js';
import { DAY_MS, assertRotatable, rotateKey } from '../rotation.js';
import { pageResponse } from './paging.js';

/** AWS: 90 to 2560 days, default 365. */
const MIN_PERIOD = 90;
const MAX_PERIOD = 2560;
const DEFAULT_PERIOD = 365;

export async function enableKeyRotation(
  ctx: OpContext,
  input: EnableKeyRotationRequest,
): Promise<EnableKeyRotationResponse> {
  const period = input.rotationPeriodInDays ?? DEFAULT_PERIOD;
  if (!Number.isInteger(period) || period < MIN_PERIOD || period > MAX_PERIOD) {
    throw new ValidationError(`rotationPeriodInDays must be an integer from ${MIN_PERIOD} to ${MAX_PERIOD}`);
  }
  await ctx.store.transaction(async (tx) => {
    const key = await loadKey(ctx, tx, input.keyId, 'EnableKeyRotation');
    assertRotatable(key);
    const now = ctx.now();
    await repo.keys.update(tx, key.id, {
      rotationEnabled: true,
      rotationPeriodDays: period,
      nextRotationAt: new Date(now.getTime() + period * DAY_MS),
      updatedAt: now,
    });
  });
  return {};
}

export async function disableKeyRotation(
  ctx: OpContext,
  input: DisableKeyRotationRequest,
): Promise<DisableKeyRotationResponse> {
  await ctx.store.transaction(async (tx) => {
    const key = await loadKey(ctx, tx, input.keyId, 'DisableKeyRotation');
    assertRotatable(key);
    await repo.keys.update(tx, key.id, { rotationEnabled: false, nextRotationAt: null, updatedAt: ctx.now() });
  });
  return {};
}

export async function getKeyRotationStatus(
  ctx: OpContext,
  input: GetKeyRotationStatusRequest,
): Promise<GetKeyRotationStatusResponse> {
  const key = await loadKey(ctx, ctx.store.db, input.keyId, 'GetKeyRotationStatus');
  return {
    keyId: keyArn(ctx.config, key.id),
    keyRotationEnabled: key.rotationEnabled,
    ...(key.rotationPeriodDays !== null ? { rotationPeriodInDays: key.rotationPeriodDays } : {}),
    ...(key.nextRotationAt ? { nextRotationDate: key.nextRotationAt } : {}),
  };
}

export async function rotateKeyOnDemand(
  ctx: OpContext,
  input: RotateKeyOnDemandRequest,
): Promise<RotateKeyOnDemandResponse> {
  const key = await loadKey(ctx, ctx.store.db, input.keyId, 'RotateKeyOnDemand');
  const rotated = await rotateKey(ctx, key.id, 'ON_DEMAND');
  ctx.audit.keyVersion = rotated.latestVersion;
  return { keyId: keyArn(ctx.config, key.id) };
}

/** Versions made by rotation (the first version is not a rotation), oldest first. */
export async function listKeyRotations(
  ctx: OpContext,
  input: ListKeyRotationsRequest,
): Promise<ListKeyRotationsResponse> {
  const key = await loadKey(ctx, ctx.store.db, input.keyId, 'ListKeyRotations');
  // ROTATIONS_ONLY is what Custos lists; listing every key material (AWS ALL_KEY_MATERIAL) is not supported.
  if (input.includeKeyMaterial === 'ALL_KEY_MATERIAL')
    throw new UnsupportedError('includeKeyMaterial ALL_KEY_MATERIAL is not supported by Custos');
  const limit = input.limit ?? 100;
  // The first version is skipped, so a page of versions can hold fewer rotations than asked: read on until full.
  const rotations: KeyVersionRecord[] = [];
  let after = input.marker;
  let next: string | null = null;
  do {
    const page = await repo.keyVersions.listPaged(ctx.store.db, key.id, {
      limit: limit - rotations.length,
      ...(after ? { after } : {}),
    });
    rotations.push(...page.items.filter((v) => v.rotationType !== null));
    next = page.next;
    after = next ?? undefined;
  } while (next !== null && rotations.length < limit);
  return {
    rotations: rotations.map((v) => ({
      keyId: keyArn(ctx.config, key.id),
      rotationDate: v.createdAt,
      rotationType: v.rotationType!,
      keyVersion: v.version,
    })),
    ...pageResponse({ items: rotations, next }),
  };
}
