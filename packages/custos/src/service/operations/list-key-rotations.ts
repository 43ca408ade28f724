// ListKeyRotations: the versions made by rotation, oldest first, paged.
// Must not import api.
import { listKeyRotationsOperation, UnsupportedError } from '@custos/contract';
import * as repo from '../../store/repositories/index.js';
import type { KeyVersionRecord } from '../../store/types.js';
import { defineOperation } from '../define-operation.js';
import { loadKey } from '../key-loading.js';
import { keyArn } from '../key-ref.js';
import { ANY } from '../lifecycle.js';
import { pageResponse } from '../paging.js';

/** A version made by rotation: every version but the first. */
type Rotation = KeyVersionRecord & { readonly rotationType: NonNullable<KeyVersionRecord['rotationType']> };

function isRotation(version: KeyVersionRecord): version is Rotation {
  return version.rotationType !== null;
}

/** Versions made by rotation (the first version is not a rotation), oldest first. */
export const listKeyRotations = defineOperation(
  listKeyRotationsOperation,
  { access: 'read', states: ANY },
  async (ctx, input) => {
    const key = await loadKey(ctx, ctx.store.db, input.keyId);
    // ROTATIONS_ONLY is what Custos lists; listing every key material (AWS ALL_KEY_MATERIAL) is not supported.
    if (input.includeKeyMaterial === 'ALL_KEY_MATERIAL')
      throw new UnsupportedError('includeKeyMaterial ALL_KEY_MATERIAL is not supported by Custos');
    const limit = input.limit ?? 100;
    // The first version is skipped, so a page of versions can hold fewer rotations than asked: read on until full.
    const rotations: Rotation[] = [];
    let after = input.marker;
    let next: string | null;
    do {
      const page = await repo.keyVersions.listPaged(ctx.store.db, key.id, {
        limit: limit - rotations.length,
        ...(after ? { after } : {}),
      });
      rotations.push(...page.items.filter(isRotation));
      next = page.next;
      after = next ?? undefined;
    } while (next !== null && rotations.length < limit);
    return {
      rotations: rotations.map((v) => ({
        keyId: keyArn(ctx.config, key.id),
        rotationDate: v.createdAt,
        rotationType: v.rotationType,
        keyVersion: v.version,
      })),
      ...pageResponse({ items: rotations, next }),
    };
  },
);
